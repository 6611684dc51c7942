//! The `rasad` command line: ingest articles into the embedded store, analyse without storing, and
//! browse what is stored.
//!
//! Exit codes: 0 when the batch ran (bad items are reported one by one on stderr), 1 when nothing could
//! be done (or, with `--strict`, at the first bad item), 2 for usage errors.

mod commands;
mod watch;

/// mimalloc rather than the system allocator: analysis allocates many small strings per word, and
/// glibc's malloc and free were an eighth of an ingest's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "rasad",
    version,
    about = "Structured knowledge from Arabic, Persian and English news on state cyber operations"
)]
struct Cli {
    /// The store file (SQLite). Created if missing.
    #[arg(long, global = true, env = "RASAD_DB", default_value = "rasad.db")]
    db: PathBuf,
    /// Output format: text or json for listings and records; stix, csv, parquet or jsonl for
    /// `export`.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Print only errors and the summary.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// More logging on stderr (-v info, -vv debug, -vvv trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
    /// A STIX 2.1 bundle (export).
    Stix,
    /// CSV tables (export).
    Csv,
    /// Parquet tables (export).
    Parquet,
    /// JSON Lines of articles, stories and incidents (export).
    Jsonl,
}

/// The filters that select articles, shared by search and export.
#[derive(Debug, clap::Args)]
struct ArticleFilters {
    /// Only this language (ar, fa, en …).
    #[arg(long)]
    lang: Option<String>,
    /// Only this outlet's articles.
    #[arg(long)]
    outlet: Option<String>,
    /// A canonical entity id the articles name (country:IRN, group:mek).
    #[arg(long)]
    entity: Option<String>,
    /// A PLOVER event type the articles code (ACCUSE, REJECT, SANCTION, COERCE …).
    #[arg(long)]
    event: Option<String>,
    /// First publication day (YYYY-MM-DD).
    #[arg(long)]
    from: Option<chrono::NaiveDate>,
    /// Last publication day (YYYY-MM-DD).
    #[arg(long)]
    to: Option<chrono::NaiveDate>,
}

#[derive(Debug, clap::Args)]
struct InputArgs {
    /// Files or directories (read recursively); `-` reads standard input.
    #[arg(required = true)]
    paths: Vec<String>,
    /// Stop at the first bad item (exit 1) instead of reporting it and going on.
    #[arg(long)]
    strict: bool,
    /// Largest single-document file accepted, in bytes.
    #[arg(long, default_value_t = 32 * 1024 * 1024)]
    max_file_size: u64,
    /// The day relative dates ("yesterday") resolve against when an article gives no date (YYYY-MM-DD).
    #[arg(long)]
    reference_date: Option<chrono::NaiveDate>,
    /// Threads that analyse articles (0: one per core). The output is the same for any number.
    #[arg(long, short = 'j', default_value_t = 0)]
    jobs: usize,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read, analyse and store articles (idempotent: stored articles are reported as duplicates).
    Ingest {
        #[command(flatten)]
        input: InputArgs,
        /// Articles per transaction: a crash loses at most the chunk in flight.
        #[arg(long, default_value_t = 256)]
        chunk_size: usize,
    },
    /// Analyse articles without storing them; prints a readable summary of each document, or with
    /// `--format json` (or `jsonl`) one JSON object per document (JSON Lines).
    Analyze {
        #[command(flatten)]
        input: InputArgs,
    },
    /// List stored articles, newest first.
    Articles {
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Only this language (ar, fa, ur, en).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Measure rasad's stages against the public gold corpora (read in place from ../shared/corpora).
    Eval {
        #[command(subcommand)]
        what: EvalCommand,
    },
    /// Train rasad's models from the public corpora's train splits (read in place).
    Train {
        #[command(subcommand)]
        what: TrainCommand,
    },
    /// Show one stored article with its analysis (by id or id prefix).
    Show {
        id: String,
        /// Print the original bytes exactly as ingested, and nothing else.
        #[arg(long)]
        original: bool,
    },
    /// List the entities named in the stored articles, most widely named first.
    Entities {
        /// Only this kind (country, city, igo, government_body, person, news_outlet, threat_actor …).
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
    },
    /// Show one entity and the names each outlet used for it (e.g. group:mek, country:ISR).
    Entity { id: String },
    /// List the stories of the stored articles, latest first: syndicated copies grouped, reports of
    /// one affair across outlets and languages together.
    Stories {
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
    },
    /// Show one story in full: its articles side by side, events and attributions merged across
    /// them, and how each outlet named the actors.
    Story { id: String },
    /// List the cyber incidents of the stored articles, latest reported first: one operation across
    /// its stories, outlets, languages and years.
    Incidents {
        /// Only incidents whose receivers include this state (IRN or country:IRN).
        #[arg(long)]
        country: Option<String>,
        /// Only incidents where this actor is accused (country:PRK, actor:lazarus).
        #[arg(long)]
        accused: Option<String>,
        /// Only incidents of this type (disruption, data_theft, wiper, ransomware …).
        #[arg(long = "type")]
        incident_type: Option<String>,
        /// Only incidents that started in this year.
        #[arg(long)]
        year: Option<i32>,
        /// Only incidents reported in this language.
        #[arg(long)]
        lang: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Recompute every incident from the stored articles, say whether the incrementally kept
        /// ones differed, and keep the rebuilt ones.
        #[arg(long)]
        rebuild: bool,
    },
    /// Show one incident: receivers, the attributions over time with who contests them,
    /// responses, its stories and articles, and each outlet's framing.
    Incident { id: String },
    /// Full-text search in any language's spelling (Arabic and Persian letters, tashkeel and
    /// inflections folded); all words must match, "quoted words" as a phrase.
    Search {
        /// The words; empty with filters lists the matching articles, latest first.
        #[arg(default_value = "")]
        query: String,
        #[command(flatten)]
        filters: ArticleFilters,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
    },
    /// Export the store, or the articles the filters select, for other tools: a STIX 2.1 bundle
    /// (OpenCTI, MISP), CSV or Parquet tables that join by id (articles, mentions, quotes, events,
    /// victims, attributions, denials, responses, incidents, stories), or JSON Lines. Streams:
    /// memory stays flat whatever the store's size.
    /// `--format stix|csv|parquet|jsonl` says what to write.
    Export {
        /// STIX: the bundle's file (standard output when absent). CSV, Parquet, JSON Lines: the
        /// directory for one file per table (created if missing; required).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        #[command(flatten)]
        filters: ArticleFilters,
        /// Only this story's articles.
        #[arg(long)]
        story: Option<String>,
        /// Only this incident's articles.
        #[arg(long)]
        incident: Option<String>,
        /// Leave stories out (they are clustered for the export, about a minute per 30,000
        /// articles); `--story` needs them.
        #[arg(long)]
        no_stories: bool,
    },
    /// Follow the feeds, news sitemaps and pages a sources file lists: each new item is fetched
    /// (politely: robots.txt, a per-host delay, conditional GET, bounded requests), analysed and
    /// stored once. Runs until Ctrl-C; `--once` polls each source once and exits (for cron).
    Watch {
        /// The sources file (TOML; see examples/sources.toml).
        sources: PathBuf,
        /// Poll each source once, whatever its schedule, and exit.
        #[arg(long)]
        once: bool,
    },
    /// The watched sources and their state: last poll and success, errors, items taken.
    Sources,
    /// Serve the web UI and the JSON API (docs at /api/openapi.json) over the store, after
    /// ingesting any paths given.
    Serve {
        /// Files or directories to ingest before serving.
        paths: Vec<String>,
        /// The address to listen on. Anything but loopback needs --token.
        #[arg(long, default_value = "127.0.0.1:8484")]
        addr: std::net::SocketAddr,
        /// The token POST /api/ingest requires (Authorization: Bearer TOKEN).
        #[arg(long, env = "RASAD_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// Largest request body accepted, in bytes.
        #[arg(long, default_value_t = 16 * 1024 * 1024)]
        max_body: usize,
        /// A host name the server answers to besides loopback names and its address (a reverse
        /// proxy's name); repeatable. Requests for other hosts are refused.
        #[arg(long = "allow-host")]
        allow_host: Vec<String>,
        /// Also watch the sources this file lists (as `rasad watch` does) while serving.
        #[arg(long)]
        watch: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum TrainCommand {
    /// The Arabic and Persian name taggers (ANERcorp's and PEYMA's train splits), written to
    /// data/entities/tagger-ar.tsv and tagger-fa.tsv with their training record and test score.
    Tagger {
        /// The corpora folder; default ../shared/corpora.
        #[arg(long)]
        corpora: Option<PathBuf>,
        /// Passes over the training data.
        #[arg(long, default_value_t = 12)]
        epochs: usize,
        /// Training runs, each reading the sentences in its own order, averaged into one model
        /// (steadier than one run: 5-fold CV +0.003 for 3 runs in both languages).
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Leave out features whose averaged weights all stay below this in magnitude (the model
        /// file's size against its score).
        #[arg(long, default_value_t = 1.0)]
        prune: f32,
        /// Learn a lexicon of what a first model says of each word across unlabelled news, read by
        /// the model (data/entities/lexicon-<lang>.tsv): for Arabic every this-many-th SaudiNewsNet
        /// article (1, all of them, as shipped) and the --text given; for Persian the --text given,
        /// or else it reads the Arabic lexicon. 0 for none.
        #[arg(long, default_value_t = 1)]
        lexicon: usize,
        /// Unlabelled text in the language for the lexicon (as for `train clusters --text`; the
        /// shipped Persian lexicon reads the same text as the Persian clusters). Repeatable; needs
        /// --lang.
        #[arg(long, requires = "lang")]
        text: Vec<PathBuf>,
        /// Only this language (ar or fa).
        #[arg(long)]
        lang: Option<String>,
        /// Train on nine tenths of the train split and score on the last tenth (for choosing
        /// features and epochs); writes no model.
        #[arg(long)]
        holdout: bool,
        /// Cross-validate on the train split instead: this many runs, each scored on one part
        /// (contiguous) and trained on the rest, the counts pooled; steadier than one holdout
        /// tenth for telling settings apart. Writes no model.
        #[arg(long, conflicts_with = "holdout")]
        folds: Option<usize>,
        /// Where the model files go, and where the word clusters they use are read from.
        #[arg(long, default_value = "data/entities")]
        out: PathBuf,
    },
    /// Word clusters for the taggers, learnt from unlabelled news (SaudiNewsNet and ANERcorp's train
    /// split for Arabic, PEYMA's train files for Persian, and any --text given), written to
    /// data/entities/clusters-ar.tsv and clusters-fa.tsv. Retrain the taggers after.
    Clusters {
        /// The corpora folder; default ../shared/corpora.
        #[arg(long)]
        corpora: Option<PathBuf>,
        /// Only this language (ar or fa).
        #[arg(long)]
        lang: Option<String>,
        /// Number of classes, or several comma-separated: one clustering each (at most three),
        /// each a pair of columns of the file; default 256,64,16 (Arabic's 8.9M words, Persian with
        /// --text), 64,16 for Persian from PEYMA's 0.2M words alone, chosen by 5-fold
        /// cross-validation of the taggers on the train splits.
        #[arg(long, value_delimiter = ',')]
        classes: Vec<usize>,
        /// Least number of times a word must occur to get a class; default 3 for Arabic, 2 for
        /// Persian.
        #[arg(long)]
        min_count: Option<u32>,
        /// Passes of the exchange algorithm at most.
        #[arg(long, default_value_t = 10)]
        passes: usize,
        /// Unlabelled text in the language to learn from as well, beside the corpora: a file or a
        /// folder of JSON article arrays (title, abstract, content, paragraphs …), JSON lines,
        /// token-column files or plain text (repeatable; needs --lang). Unreadable files are
        /// listed and skipped.
        #[arg(long, requires = "lang")]
        text: Vec<PathBuf>,
        /// Where the cluster files go.
        #[arg(long, default_value = "data/entities")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum EvalCommand {
    /// Language-ID accuracy and confusion tables (ANERcorp ar, PEYMA fa, ECB+ en), per identifier.
    Langid {
        /// The corpora folder; default ../shared/corpora.
        #[arg(long)]
        corpora: Option<PathBuf>,
        /// Sentences and paragraphs sampled per language.
        #[arg(long, default_value_t = 2000)]
        limit: usize,
    },
    /// Date detection precision, recall and F1 against PEYMA's DAT spans; with --dateparser, also
    /// dateparser's own Arabic and Persian test cases.
    Dates {
        /// The corpora folder; default ../shared/corpora.
        #[arg(long)]
        corpora: Option<PathBuf>,
        /// A checkout of scrapinghub/dateparser (its root or tests/), read in place.
        #[arg(long)]
        dateparser: Option<PathBuf>,
        /// A checkout of dralshehri/hijri-converter: its Umm al-Qura test vectors, read in place.
        #[arg(long)]
        hijri_converter: Option<PathBuf>,
    },
    /// Main-content extraction on the scrapinghub article-extraction-benchmark, with its metric,
    /// beside the outputs of the other systems it ships.
    Extraction {
        /// A checkout of scrapinghub/article-extraction-benchmark (ground-truth.json, html/, output/).
        #[arg(long)]
        benchmark: PathBuf,
    },
    /// Entity recognition (PER, LOC, ORG) against ANERcorp's test split, PEYMA and ECB+'s proper names (English, recall).
    Entities {
        /// The corpora folder; default ../shared/corpora.
        #[arg(long)]
        corpora: Option<PathBuf>,
    },
    /// Incident extraction (victims, attributions, claims, denials) against the annotated real news
    /// of eval/incidents/, per language and split.
    Incidents {
        /// The annotated set; default eval/incidents in the project.
        #[arg(long)]
        set: Option<PathBuf>,
        /// Also list every missed and spurious item (of `dev`, `test` or `all`).
        #[arg(long)]
        misses: Option<String>,
        /// Print one article's quotes and incident records with their evidence, and nothing else.
        #[arg(long)]
        show: Option<String>,
    },
    /// Story clustering: BCubed against ECB+'s gold subtopics.
    Stories {
        /// The corpora folder; default ../shared/corpora.
        #[arg(long)]
        corpora: Option<PathBuf>,
    },
    /// Syndicated copies on SaudiNewsNet (cross-outlet repeated titles), with the speed of dedupe
    /// plus clustering and peak memory: the stories benchmark.
    Duplicates {
        /// The corpora folder; default ../shared/corpora.
        #[arg(long)]
        corpora: Option<PathBuf>,
        /// Articles read at most (all 31,030 by default).
        #[arg(long, default_value_t = usize::MAX)]
        limit: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}

fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => tracing::Level::WARN,
        1 => tracing::Level::INFO,
        2 => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_target(false)
        .init();
}
