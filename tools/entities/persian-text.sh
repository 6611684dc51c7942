#!/usr/bin/env bash
# Fetches the unlabelled Persian text the shipped Persian word clusters and lexicon were learnt
# from (data/entities/clusters-fa.tsv, lexicon-fa.tsv), at the commits used, into DIR, and prints
# the commands that relearn them. Needs git, python3 and access to github.com.
#
#   tools/entities/persian-text.sh /tmp/fa-text
#
# - language-ml/course-nlp-ir-1-text-exploring (Apache-2.0): Fars News (1,500 articles), Varzesh3
#   (2,500 sports articles) and Namnak (175 health articles) as JSON arrays, 1.45M words.
# - HaniehP/PersianNER: ArmanPersoNERCorpus (academic research use only), 7,682 sentences read as
#   unlabelled text (its tags are not used); its three test folds together are the whole corpus.
set -euo pipefail
dir="${1:?usage: persian-text.sh DIR}"
mkdir -p "$dir"
cd "$dir"
fetch() { # repo commit folder
  if [ ! -d "$3/.git" ]; then
    git clone --quiet --filter=blob:none --no-checkout "https://github.com/$1.git" "$3"
  fi
  git -C "$3" checkout --quiet "$2" -- "${@:4}"
}
fetch language-ml/course-nlp-ir-1-text-exploring 48c7d56a33a6f75709e90b001529bf7705420674 course \
  exploring-datasets/news exploring-datasets/sports exploring-datasets/health/namnak-5.json
fetch HaniehP/PersianNER 82160588e3f80cb0fb4809208bd28e6b20546b44 arman ArmanPersoNERCorpus.zip
python3 -m zipfile -e arman/ArmanPersoNERCorpus.zip arman/corpus
cat <<DONE
Persian text is in $dir. From the project root:
  rasad train clusters --lang fa --classes 256,64,16 $(printf -- '--text %s ' "$dir/course/exploring-datasets" "$dir"/arman/corpus/test_fold{1,2,3}.txt)
  rasad train tagger --lang fa $(printf -- '--text %s ' "$dir/course/exploring-datasets" "$dir"/arman/corpus/test_fold{1,2,3}.txt)
DONE
