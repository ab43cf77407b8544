//! Syllables of a lower-case ASCII word by English spelling: an exception
//! list, known syllable boundaries, then vowel groups with adjustments.

/// Whole words the rules get wrong, with their syllables (CMU's first
/// pronunciation, or the British one where the spelling is British). A
/// plural `s` is also matched ("fluids").
const EXCEPTIONS: &[(&str, usize)] = &[
    ("argue", 2),
    ("argued", 2),
    ("arguing", 3),
    ("awesome", 2),
    ("business", 2),
    ("businesses", 3),
    ("bye", 1),
    ("dr", 2),
    ("etc", 4),
    ("european", 4),
    ("every", 3),
    ("everybody", 4),
    ("everyday", 3),
    ("everyone", 3),
    ("everything", 3),
    ("everywhere", 3),
    ("element", 3),
    ("eye", 1),
    ("giant", 2),
    ("goodbye", 2),
    ("heroin", 3),
    ("hour", 2),
    ("lawyer", 2),
    ("mr", 2),
    ("mrs", 2),
    ("naked", 2),
    ("nuclear", 3),
    ("our", 2),
    ("overseas", 3),
    ("people", 2),
    ("recipe", 3),
    ("someone", 2),
    ("suicide", 3),
    ("syncope", 3),
    ("vs", 2),
    ("w", 3),
    ("wednesday", 2),
];

/// Beginnings after which a syllable boundary falls: `re|act` means that a
/// word starting with "react" is counted as "re" + the rest.
const SPLITS: &[&str] = &[
    "base|b", "care|f", "co|ag", "co|ali", "co|ex", "co|opera", "co|ord", "cre|ate", "cre|ati",
    "cre|ato", "else|", "face|", "frame|", "guide|", "home|", "hope|f", "house|", "life|",
    "like|w", "may|be", "myelo|a", "haplo|i", "nose|", "plate|", "re|act", "re|alis", "re|alit",
    "re|aliz", "re|ass", "re|inf", "re|us", "sci|en", "side|", "some|", "the|at", "there|f",
    "time|", "where|a", "whole|", "wide|",
];

/// Syllables of a lower-case ASCII word.
pub(super) fn english(w: &[u8]) -> usize {
    if w.is_empty() {
        return 0;
    }
    if let Some(n) = exception(w) {
        return n;
    }
    for split in SPLITS {
        // Most words share no first letter with a split: skip those before
        // the split and comparisons, which are most of `check`'s time.
        if split.as_bytes().first() != w.first() {
            continue;
        }
        let (head, tail) = split.split_once('|').unwrap_or((split, ""));
        let whole = head.len() + tail.len();
        let Some(rest) = w.get(head.len()..) else {
            continue;
        };
        if w.len() >= whole
            && w.starts_with(head.as_bytes())
            && rest.starts_with(tail.as_bytes())
            && rest.iter().any(|&c| is_vowel(c))
            && (!tail.is_empty() || !is_vowel(rest[0]))
        {
            return english(&w[..head.len()]).max(1) + english(&w[head.len()..]).max(1);
        }
    }
    rules(w)
}

fn exception(w: &[u8]) -> Option<usize> {
    let find = |x: &[u8]| {
        EXCEPTIONS
            .iter()
            // The first letter first: cheaper than comparing whole words.
            .find(|(e, _)| e.as_bytes().first() == x.first() && e.as_bytes() == x)
            .map(|&(_, n)| n)
    };
    find(w).or_else(|| match w {
        [stem @ .., b's'] if stem.len() > 2 && !stem.ends_with(b"s") => find(stem),
        _ => None,
    })
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// The rule-based count: vowel groups with adjustments.
fn rules(w: &[u8]) -> usize {
    let n = w.len();
    let at = |i: usize| -> u8 { if i < n { w[i] } else { 0 } };
    let before = |i: usize, k: usize| -> u8 { if i >= k { w[i - k] } else { 0 } };
    // Which letters are vowels here.
    let mut vowel = vec![false; n];
    for i in 0..n {
        let c = w[i];
        vowel[i] = match c {
            b'y' => {
                // Consonant at the start and between vowels ("yes", "player").
                i > 0 && !(vowel[i - 1] && is_vowel(at(i + 1)))
            }
            // Consonant after q, and after g before a vowel ("quite", "language").
            b'u' => {
                !(i > 0
                    && (w[i - 1] == b'q'
                        || (w[i - 1] == b'g' && matches!(at(i + 1), b'a' | b'e' | b'i' | b'o'))))
            }
            _ => is_vowel(c),
        };
    }
    let ends = |s: &[u8]| w.ends_with(s);
    let mut groups = 0usize;
    // A vowel after a consonant starts a syllable; so does one after a
    // vowel where the pair is read as two (see `splits`).
    for i in 0..n {
        if !vowel[i] {
            continue;
        }
        let new_group = i == 0 || !vowel[i - 1] || splits(w, i, &before, &at);
        if new_group {
            groups += 1;
        }
    }
    if groups <= 1 {
        return groups;
    }
    // Silent endings: a final lone e after a consonant.
    let lone_e = |i: usize| w[i] == b'e' && i > 0 && !vowel[i - 1] && !(i + 1 < n && vowel[i + 1]);
    let cons = |c: u8| c != 0 && !is_vowel(c);
    if lone_e(n - 1) {
        let c1 = before(n - 1, 1);
        let c2 = before(n - 1, 2);
        // "table", "centre"; and "fire", "desire" (two syllables in CMU).
        let syllabic = (c1 == b'l' || c1 == b'r') && cons(c2) && c2 != c1;
        let ire = c1 == b'r' && c2 == b'i' && cons(before(n - 1, 3));
        if !syllabic && !ire {
            groups -= 1;
        }
    } else if n >= 3 && ends(b"es") && lone_e(n - 2) {
        let c1 = before(n - 2, 1);
        let c2 = before(n - 2, 2);
        let sibilant = matches!(c1, b's' | b'x' | b'z' | b'c' | b'g')
            || (c1 == b'h' && matches!(c2, b'c' | b's'));
        let syllabic = (c1 == b'l' || c1 == b'r') && cons(c2);
        if !sibilant && !syllabic {
            groups -= 1;
        }
    } else if n >= 3 && ends(b"ed") && lone_e(n - 2) {
        let c1 = before(n - 2, 1);
        let c2 = before(n - 2, 2);
        // "wanted", "needed"; "settled", "hundred"; "tired".
        let syllabic = (c1 == b'l' || c1 == b'r') && cons(c2) && c2 != c1;
        let ire = c1 == b'r' && c2 == b'i' && cons(before(n - 2, 3));
        if c1 != b't' && c1 != b'd' && !syllabic && !ire {
            groups -= 1;
        }
    }
    // A silent e before a consonant suffix ("lately", "movement", "careful").
    for suffix in [
        &b"ly"[..],
        b"ment",
        b"ments",
        b"ful",
        b"fully",
        b"less",
        b"ness",
        b"ty",
    ] {
        if n > suffix.len() + 2 && ends(suffix) {
            let e = n - suffix.len() - 1;
            let c1 = before(e, 1);
            let c2 = before(e, 2);
            let syllabic = (c1 == b'l' || c1 == b'r') && cons(c2) && c2 != c1;
            let short = suffix == b"ty" && !(e >= 2 && vowel[e - 2]);
            if lone_e(e) && cons(c1) && c1 != b'h' && !syllabic && !short && groups > 1 {
                groups -= 1;
            }
            break;
        }
    }
    // "-ically" is read "-ic-ly"; "-ism" has a syllabic m.
    if ends(b"ically") && groups > 2 {
        groups -= 1;
    }
    if (ends(b"sm") || ends(b"sms")) && n > 3 {
        groups += 1;
    }
    groups
}

/// Whether the vowel at `i`, after the vowel at `i - 1`, starts a new
/// syllable.
fn splits(
    w: &[u8],
    i: usize,
    before: &dyn Fn(usize, usize) -> u8,
    at: &dyn Fn(usize) -> u8,
) -> bool {
    let a = w[i - 1];
    let b = w[i];
    let p = before(i, 2); // the letter before the pair
    let rest = &w[i + 1..];
    let end_after = |s: &[u8]| {
        rest == s || (rest.len() == s.len() + 1 && rest.starts_with(s) && rest.ends_with(b"s"))
    };
    // A vowel-like y before a vowel: "myeloma", "dying", "embryo".
    if a == b'y' {
        return true;
    }
    // "-ing" after a vowel: "being", "going", "continuing".
    if b == b'i' && (rest == b"ng" || rest == b"ngs") {
        return true;
    }
    match (a, b) {
        (b'i', b'a') => {
            let glide = matches!(p, b'c' | b't' | b's' | b'g' | b'x') && at(i + 1) != b't';
            // "familiar", "brilliant", "marriage".
            let y_sound = (p == b'l'
                && i >= 3
                && matches!(at(i + 1), b'n' | b'r' | b'm')
                && !rest.starts_with(b"nc"))
                || rest.starts_with(b"ge");
            !(glide || y_sound)
        }
        (b'i', b'o') => {
            !(matches!(p, b'c' | b't' | b's' | b'g' | b'x')
                || (p == b'l' && before(i, 3) == b'l')
                || (p == b'n' && at(i + 1) == b'n')
                || (p == b'h' && before(i, 3) == b's')
                || rest.starts_with(b"ur")
                || (rest.starts_with(b"r") && matches!(p, b'n' | b'v')))
        }
        (b'i', b'u') => true,
        (b'i', b'e') => {
            let r0 = at(i + 1);
            let r1 = at(i + 2);
            if r0 == b't' {
                return true;
            }
            if r0 == b'n' && matches!(r1, b't' | b'c') {
                return !matches!(p, b'c' | b't');
            }
            if r0 == b'r' && (end_after(b"r") || rest == b"st") {
                return p != 0 && !is_vowel(p) && i >= 3;
            }
            if rest == b"st" {
                return i >= 4;
            }
            false
        }
        // "area", "idea", "nausea"; but "sea", "plea".
        (b'e', b'a') => end_after(b"") && w[..i - 1].iter().any(|&c| is_vowel(c)),
        (b'e', b'o') => !matches!(p, b'g' | b'c'),
        (b'e', b'u') => end_after(b"m") || end_after(b"s"),
        (b'e', b'i') => end_after(b"c") || rest.starts_with(b"ty"),
        (b'a', b'i') => end_after(b"c"),
        (b'a', b'o') => true,
        (b'o', b'e') => matches!(at(i + 1), b'm' | b't'),
        (b'o', b'i') => end_after(b"c"),
        (b'u', b'a') | (b'u', b'o') => true,
        (b'u', b'e') => matches!(at(i + 1), b'n' | b'l' | b't'),
        (b'u', b'i') => matches!(at(i + 1), b'd' | b'n') || rest.starts_with(b"ty"),
        (b'i', b'i') => true,
        _ => false,
    }
}
