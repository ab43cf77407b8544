//! Search text analysis in the browser (`themes/default/static/search-text.js`)
//! gives exactly the words and terms the build gives
//! (`src/search/analyze.rs`), in headless Chromium: on every page of the
//! bundled guide and its glossary, a list of hard cases (every entry of the
//! spelling tables among them), words made to reach every step of the
//! stemmer, every Unicode code point in a few contexts, random mixes of the
//! characters word boundaries care about and, when they are on the machine,
//! `/usr/share/dict/words` and the Snowball English vocabulary that ships
//! with `rust-stemmers`.
//!
//! Skips without Chromium, unless `MARROW_REQUIRE_BROWSER=1`.

mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use common::browser::{Browser, StaticServer};
use marrow::harness::internals::search_terms;
use serde_json::json;

/// Words that must survive the trip: spelling pairs, stemmer exceptions
/// and edge cases, numbers, punctuation inside words, and other scripts.
const HARD_CASES: &str = r#"
anaemia anemia haematopoietic hematopoietic leukaemia leukemia haemoglobin ischaemia
oesophagus esophagus oesophageal oestrogen oedema edema foetal fetal foetus paediatric
pediatric paediatrics anaesthetic anaesthesia aesthetic diarrhoea apnoea dyspnoea coeliac
gynaecology gynaecologist faeces faecal caesarean amoeba amoebic aetiology
tumour tumours tumoured tumouring tumor tumors colour coloured colouring colourful
favourite favourites behaviour behavioural behaviourally honour honourable honours
labour odour humour vapour rumour four hour hours your yours our flour sour pour
contour contours detour devour velour paramour troubadour
centre centres centred center centered fibred metre metres litre fibre fibres sombre theatre
organise organised organising organisation organisations organize organized organizing
organization organizations organizer organizers organizes hospitalisation
hospitalization specialised analyse analysed analyze paralyse realise minimise
ageing aging aluminium catalogue cheque defence dialogue grey judgement licence
manoeuvre mould offence programme programmes sulphur
aluminum catalog check defense dialog gray judgment license maneuver mold offense
program sulfur exercise advise oboe shoe does poem aerobic oeuvre coexist our oe
generous generously general generation communication communicate commune arsenal
arsenic skies skis dying lying tying idly gently ugly early only singly andes atlas
bias cosmos howe news sky sky's skying succeed proceed exceed canning inning earring
herring outing cried cries ties tied dies hopped hoping hope luxuriating luxuriate
yes yellow saying say boy boys toy toying yaYa yyyy ayy happy happily happiness
agreed feed feedly abated abating controlled sized hissing gas gaps its kiwis
caresses ponies cats ss us bus fizzled tanned filed failing
'apostrophe 'tis patient's patients' patients's o'neill rock'n'roll don't can't won't
shouldn't don’t patient’s it’s
10,000 3.5 1.2.3 10.000,50 e.g. i.e. U.S.A. a:b http://example.org/a_b?x=1 foo_bar
__init__ C++ 2nd COVID-19 HLA-DRB1*04:01 CD34+ 10⁹/L ½ ① x² μg µg 37°C 5–10 ±2
graft-versus-host T-cells T cells B-cell GvHD GVHD CMV/EBV mother-in-law
naïve café Ångström résumé Zoë façade coöperate crème brûlée
ΟΔΟΣ Οδός ΣΑΣ Σ Σ. ΑΣ'Α ὈΔΥΣΣΕΎΣ ᾼ ᾳ
Straße STRASSE Größe ẞ İstanbul ılık I ı Ǆ ǅ ǆ K Å ﬁ ﬀ Ærø Łódź Þórsmörk
Ⓜ Ⓜb
مرحبا بالعالم مَرْحَبًا ٣٫٥ ١٬٠٠٠
שלום צה"ל ג'ירפה ש'
Трансплантация костного мозга Ёлка ЁЛКА
प्रत्यारोपण अस्थि मज्जा
โรงพยาบาล ปลูกถ่ายไขกระดูก ๑๒๓
ສະບາຍດີ សួស្តី မင်္ဂလာပါ
移植前的检查 血 骨髓移植 HLA配型 2次
ひらがな カタカナ ｶﾀｶﾅ 漢字とかな 々 〇 𰀀
골수 이식 ㄱㄴ
Việt Nam ghép tủy
👩‍⚕️ 🇬🇧 👍🏽 1️⃣ a‍☺ ☺‍☺ 🏳️‍🌈 a👍b
"#;

/// Hard cases with invisible characters, spelt with escapes.
const INVISIBLE: &[&str] = &[
    "cafe\u{301} e\u{301}te\u{301} n\u{303}",
    "trans\u{AD}plant",
    "a\u{200B}b a\u{200C}b a\u{200D}b a\u{2060}b",
    "10\u{A0}000 10\u{202F}000 10\u{2009}000 a\u{3000}b",
    "a\u{200D}\u{24C2}b \u{24C2}\u{200D}\u{1F600} x\u{200D}\u{301}\u{1F600}",
    "tab\tseparated\r\nlines\rand\u{2028}more\u{85}x\u{B}y\u{C}z",
    "\u{301}leading mark \u{301}\u{301}",
    "\u{FEFF}bom \u{600}12 \u{6DD}3",
];

/// Words that reach each step of the stemmer: stems of several shapes
/// with every suffix the steps know.
fn stemmer_words() -> Vec<String> {
    let stems = [
        "", "a", "b", "y", "ab", "ba", "by", "bab", "bat", "boat", "hop", "hope", "bey", "sky",
        "strength", "generat", "commun", "arsen", "gener", "luxuri", "control", "fizz", "tann",
        "agre", "oper", "relat", "condit", "hospit", "eat", "cry", "play", "yoyo", "'cat",
    ];
    let suffixes = [
        "",
        "s",
        "'s",
        "'",
        "'s'",
        "ss",
        "us",
        "sses",
        "ied",
        "ies",
        "ed",
        "eed",
        "ing",
        "edly",
        "eedly",
        "ingly",
        "at",
        "bl",
        "iz",
        "bb",
        "dd",
        "ff",
        "gg",
        "mm",
        "nn",
        "pp",
        "rr",
        "tt",
        "y",
        "Y",
        "anci",
        "enci",
        "ogi",
        "logi",
        "li",
        "bli",
        "abli",
        "alli",
        "fulli",
        "lessli",
        "ousli",
        "entli",
        "aliti",
        "biliti",
        "iviti",
        "tional",
        "ational",
        "alism",
        "ation",
        "ization",
        "izer",
        "ator",
        "iveness",
        "fulness",
        "ousness",
        "icate",
        "ative",
        "alize",
        "iciti",
        "ical",
        "ful",
        "ness",
        "ic",
        "ance",
        "ence",
        "able",
        "ible",
        "ate",
        "ive",
        "ize",
        "iti",
        "al",
        "ism",
        "ion",
        "sion",
        "tion",
        "er",
        "ous",
        "ant",
        "ent",
        "ment",
        "ement",
        "e",
        "l",
        "ll",
        "ely",
        "ally",
        "ations",
        "ational's",
        "cli",
        "dli",
        "eli",
        "gli",
        "hli",
        "kli",
        "mli",
        "nli",
        "rli",
        "tli",
        "xli",
    ];
    let mut words = Vec::new();
    for stem in stems {
        for suffix in suffixes {
            words.push(format!("{stem}{suffix}"));
            for more in ["s", "ly", "ing", "ed"] {
                words.push(format!("{stem}{suffix}{more}"));
            }
        }
    }
    words
}

/// What the test compares, one case at a time.
struct Case {
    label: String,
    language: &'static str,
    text: String,
}

impl Case {
    fn new(label: impl Into<String>, language: &'static str, text: impl Into<String>) -> Case {
        Case {
            label: label.into(),
            language,
            text: text.into(),
        }
    }
}

/// The pages of the bundled guide and its glossary.
fn guide(root: &Path) -> Vec<Case> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() > 30, "the bundled guide has moved: {files:?}");
    files
        .iter()
        .map(|f| {
            let rel = f.strip_prefix(root).unwrap().display().to_string();
            Case::new(rel, "en", std::fs::read_to_string(f).unwrap())
        })
        .collect()
}

/// The code points to try one by one: all but private use, surrogates and
/// the empty planes; of the large blocks of ideographs, hieroglyphs and
/// syllables, which are all alike, every 97th.
fn code_points() -> impl Iterator<Item = char> {
    let alike = |c: u32| {
        matches!(c, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0x12000..=0x123FF
            | 0x13000..=0x1343F | 0x13460..=0x143FF | 0x14400..=0x1467F | 0x17000..=0x18AFF
            | 0x20000..=0x2FA1F | 0x30000..=0x3FFFF)
    };
    (0..0x40000u32)
        .chain(0xE0000..0xE1000)
        .filter(move |&c| !alike(c) || c % 97 == 0)
        .filter(|&c| !(0xE000..=0xF8FF).contains(&c))
        .filter_map(char::from_u32)
}

/// One code point in the contexts that tell its Word_Break class, case
/// and marks apart: between letters, between digits, doubled and before
/// quotes (Hebrew letters keep them), after a zero width joiner (emoji
/// sequences) and after a space. Line feeds keep the contexts apart.
fn probe(c: char) -> String {
    format!("a{c}b\n1{c}2\n{c}{c}'{c}\"{c}\na\u{200D}{c}b\n {c}")
}

/// Short random strings of characters with every Word_Break class, mixed
/// (the same ones on every run).
fn mixes() -> Vec<String> {
    // Letters (Latin, Hebrew, halfwidth katakana, Thai, Han), digits,
    // quotes, Mid* punctuation, connectors, spaces, marks, joiners,
    // pictographs, flags, line breaks and letters whose case is special.
    const ALPHABET: &str = "aBé1٣'\".,:;_ \u{301}\u{AD}\u{200D}☺Ⓜ🇫🇷אｶ\n\r\u{3000}ßΣİǅ½ก中\u{FE0F}\u{1F3FB}\u{600}·\u{2019}\u{202F}-esy\u{66B}\u{FE10}\u{B8}\u{70F}\u{2060}";
    let alphabet: Vec<char> = ALPHABET.chars().collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    (0..30_000)
        .map(|_| {
            let len = 1 + next(10);
            (0..len).map(|_| alphabet[next(alphabet.len())]).collect()
        })
        .collect()
}

/// Words of an optional word list, one a line.
fn word_list(path: &Path, limit: usize) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(text.lines().take(limit).collect::<Vec<_>>().join("\n"))
}

/// The Snowball English vocabulary of `rust-stemmers`' sources in the
/// cargo registry, if they are there.
fn snowball_vocabulary() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
    let registries = std::fs::read_dir(home.join("registry/src")).ok()?;
    registries
        .flatten()
        .filter_map(|r| std::fs::read_dir(r.path()).ok())
        .flatten()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("rust-stemmers-1.")
        })
        .map(|e| e.path().join("test_data/voc_en.txt"))
        .find(|p| p.is_file())
}

/// Every case of the test.
fn cases(root: &Path) -> Vec<Case> {
    let mut cases = guide(root);
    for language in ["en-GB", "en", "EN_us", "", "fr", "de-CH", "eng"] {
        cases.push(Case::new("hard cases", language, HARD_CASES));
        cases.extend(
            INVISIBLE
                .iter()
                .map(|t| Case::new("invisible", language, *t)),
        );
        cases.extend(
            HARD_CASES
                .split_whitespace()
                .map(|w| Case::new("hard case", language, w)),
        );
    }
    cases.push(Case::new("stemmer words", "en", stemmer_words().join(" ")));
    cases.extend(
        mixes()
            .into_iter()
            .map(|text| Case::new("random mix", "en", text)),
    );
    cases.extend(code_points().map(|c| Case::new(format!("U+{:04X}", c as u32), "en", probe(c))));
    match word_list(Path::new("/usr/share/dict/words"), 5_000) {
        Some(words) => cases.push(Case::new("/usr/share/dict/words", "en", words)),
        None => eprintln!("no /usr/share/dict/words: that part is skipped"),
    }
    match snowball_vocabulary().and_then(|p| word_list(&p, usize::MAX)) {
        Some(words) => cases.push(Case::new("Snowball vocabulary", "en", words)),
        None => eprintln!("no rust-stemmers vocabulary: that part is skipped"),
    }
    cases
}

/// Words and terms in one string: `word` or `word\u{2}term` when they
/// differ, joined by `\u{1}` (neither is ever part of a word). The browser
/// builds the same.
fn compact(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(word, term)| {
            if word == term {
                word.clone()
            } else {
                format!("{word}\u{2}{term}")
            }
        })
        .collect::<Vec<_>>()
        .join("\u{1}")
}

/// Runs the browser's analyzer on the texts of `batch` (one language).
const ANALYZE: &str = r#"
    const [language, texts] = arguments;
    const analyzer = window.MarrowText.analyzer(language);
    return texts.map(text => {
        const words = analyzer.words(text);
        const terms = analyzer.terms(text);
        return words.map((w, i) => {
            const term = analyzer.term(w);
            if (term !== terms[i]) throw new Error('terms() and term() differ on ' + w);
            return term === w ? w : w + '\u0002' + term;
        }).join('\u0001');
    });
"#;

fn browser_results(browser: &Browser, cases: &[Case]) -> Vec<String> {
    let mut results = Vec::with_capacity(cases.len());
    let mut start = 0;
    while start < cases.len() {
        // One language per call, and about 400 kB of text.
        let language = cases[start].language;
        let mut end = start;
        let mut size = 0;
        while end < cases.len() && cases[end].language == language && size < 400_000 {
            size += cases[end].text.len();
            end += 1;
        }
        let texts: Vec<&str> = cases[start..end].iter().map(|c| c.text.as_str()).collect();
        let value = browser.eval(ANALYZE, json!([language, texts]));
        let answers = value
            .as_array()
            .unwrap_or_else(|| panic!("the browser's analyzer failed: {value}"));
        assert_eq!(answers.len(), end - start, "{value}");
        results.extend(answers.iter().map(|a| a.as_str().unwrap().to_string()));
        start = end;
    }
    results
}

fn shown(compact: &str) -> String {
    if compact.is_empty() {
        return "[]".into();
    }
    let pairs: Vec<String> = compact
        .split('\u{1}')
        .map(|pair| match pair.split_once('\u{2}') {
            Some((word, term)) => format!("{word:?}→{term:?}"),
            None => format!("{pair:?}"),
        })
        .collect();
    format!("[{}]", pairs.join(", "))
}

/// Where two compact results first differ, with a word either side.
fn first_difference(rust: &str, js: &str) -> String {
    let r: Vec<&str> = rust.split('\u{1}').collect();
    let j: Vec<&str> = js.split('\u{1}').collect();
    let i = r.iter().zip(&j).take_while(|(a, b)| a == b).count();
    let around = |v: &[&str]| {
        let from = i.saturating_sub(1);
        let to = (i + 2).min(v.len());
        let mut s = shown(&v[from..to].join("\u{1}"));
        if to <= i {
            s.push_str(" (end)");
        }
        s
    };
    format!(
        "from word {i}:\n    Rust:    {}\n    browser: {}",
        around(&r),
        around(&j)
    )
}

#[test]
fn the_browser_analyzes_text_as_the_build_does() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = tempfile::tempdir().unwrap();
    std::fs::copy(
        root.join("themes/default/static/search-text.js"),
        site.path().join("search-text.js"),
    )
    .unwrap();
    std::fs::write(
        site.path().join("index.html"),
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Parity</title><link rel=\"icon\" href=\"data:,\">\
         <script src=\"search-text.js\"></script></head><body></body></html>",
    )
    .unwrap();
    let server = StaticServer::start(site.path(), "/");
    browser.goto(&server.url);
    browser.wait_until("return typeof window.MarrowText;", "search-text.js", |v| {
        v == &json!("object")
    });

    let cases = cases(root);
    // Rust in a thread while the browser works.
    let (expected, got, rust_time, browser_time) = std::thread::scope(|scope| {
        let rust = scope.spawn(|| {
            let clock = Instant::now();
            let expected: Vec<String> = cases
                .iter()
                .map(|c| compact(&search_terms(c.language, &c.text)))
                .collect();
            (expected, clock.elapsed())
        });
        let clock = Instant::now();
        let got = browser_results(&browser, &cases);
        let browser_time = clock.elapsed();
        let (expected, rust_time) = rust.join().unwrap();
        (expected, got, rust_time, browser_time)
    });
    let words: usize = expected
        .iter()
        .map(|e| e.matches('\u{1}').count() + 1)
        .sum();
    println!(
        "{} cases, about {words} words: Rust {rust_time:.1?}, browser {browser_time:.1?}",
        cases.len()
    );

    let differences: Vec<String> = cases
        .iter()
        .zip(expected.iter().zip(&got))
        .filter(|(_, (rust, js))| rust != js)
        .map(|(case, (rust, js))| {
            let text: String = case.text.chars().take(120).collect();
            format!(
                "{} ({:?}) {text:?}\n    {}",
                case.label,
                case.language,
                first_difference(rust, js),
            )
        })
        .collect();
    let logs: Vec<(String, String)> = browser
        .logs()
        .into_iter()
        .filter(|(level, _)| level == "SEVERE")
        .collect();
    // The browser goes first: the server would wait for its idle
    // connections to close.
    drop(browser);
    drop(server);
    assert!(logs.is_empty(), "browser errors: {logs:?}");
    assert!(
        differences.is_empty(),
        "{} of {} cases differ; the first:\n{}",
        differences.len(),
        cases.len(),
        differences
            .iter()
            .take(12)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
