/* marrow: search text analysis in the browser.
 *
 * A reader's query must be cut into the same words and reduced to the same
 * terms as the pages were at build time by src/search/analyze.rs, or the
 * two never meet. This file is that analysis again, step for step:
 *
 *   1. words by Unicode word boundaries (UAX #29, as the Rust crate
 *      unicode-segmentation finds them), with runs of CJK characters cut
 *      out first and turned into overlapping character pairs;
 *   2. lower case, and marks (accents) removed after canonical
 *      decomposition;
 *   3. British and American medical spellings folded into one form;
 *   4. the Snowball English (Porter2) stem, for English sites and ASCII
 *      words only, as the Rust crate rust-stemmers 1.x gives it.
 *
 * The tables below (IRREGULAR, VOWELS, OUR_WORDS, OUR_ENDINGS, the -tre
 * and -ize endings) must be kept in step with analyze.rs:
 * tests/search_parity.rs runs both on the bundled guide and a list of hard
 * cases, and fails on any difference.
 *
 * Intl.Segmenter is not used: ICU tailors UAX #29 (dictionaries cut Thai,
 * Lao, Khmer and Myanmar into words where UAX #29 makes each letter one;
 * "½", "²" and "々" are not word-like to it) and each browser brings its
 * own ICU and dictionaries. The rules are implemented here instead, in the
 * order unicode-segmentation applies them, on Word_Break classes built from
 * the Unicode properties regular expressions know.
 *
 * window.MarrowText = {
 *   analyzer(languageTag) -> { words(text), term(word), terms(text) },
 *   fold(word), plain(word), stem(word)
 * }
 */
(function () {
  'use strict';

  /* ---- Word_Break classes (UAX #29, table 3) ---- */

  var OTHER = 0, CR = 1, LF = 2, NEWLINE = 3, ZWJ = 4, RI = 5, EXTEND = 6,
    FORMAT = 7, KATAKANA = 8, HEBREW = 9, SQUOTE = 10, DQUOTE = 11,
    MIDNUMLET = 12, MIDLETTER = 13, MIDNUM = 14, NUMERIC = 15, EXTENDNUMLET = 16,
    WSEGSPACE = 17, ALETTER = 18;

  // In order: the first that matches gives a character its class. Where
  // the Unicode definition rests on a property regular expressions do not
  // have (Line_Break), it is spelt out: Numeric is Nd plus the Arabic and
  // other number signs of Line_Break=Numeric; the letters of scripts with
  // Line_Break=Complex_Context (written without spaces) are not ALetter.
  var CLASSES = [
    [CR, /^\r$/u],
    [LF, /^\n$/u],
    [NEWLINE, /^[\v\f\u0085\u2028\u2029]$/u],
    [ZWJ, /^\u200D$/u],
    [RI, /^\p{Regional_Indicator}$/u],
    [EXTEND, /^[\p{Grapheme_Extend}\p{Mc}\p{Emoji_Modifier}]$/u],
    [NUMERIC, /^[\p{Nd}\u0600-\u0605\u066B\u06DD\u0890\u0891\u08E2\u19DA\u{110BD}\u{110CD}]$/u],
    [ALETTER, /^[\u00B8\u070F]$/u],
    [FORMAT, /^(?![\u200B\u200C])\p{Cf}$/u],
    [KATAKANA, /^[\p{Script=Katakana}\u3031-\u3035\u309B\u309C\u30A0\u30FC\uFF70]$/u],
    [HEBREW, /^(?=\p{Script=Hebrew})\p{Lo}$/u],
    [SQUOTE, /^'$/u],
    [DQUOTE, /^"$/u],
    [MIDNUMLET, /^[.\u2018\u2019\u2024\uFE52\uFF07\uFF0E]$/u],
    [MIDLETTER, /^[:\u00B7\u0387\u055F\u05F4\u2027\uFE13\uFE55\uFF1A]$/u],
    [MIDNUM, /^[,;\u037E\u0589\u060C\u060D\u066C\u07F8\u2044\uFE50\uFE54\uFF0C\uFF1B]$/u],
    [EXTENDNUMLET, /^[\p{Pc}\u202F]$/u],
    [WSEGSPACE, /^(?![\u00A0\u2007\u202F])\p{Zs}$/u],
    [ALETTER, new RegExp('^(?![\\p{Ideographic}\\p{Script=Hiragana}' +
      '\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Myanmar}\\p{Script=Khmer}' +
      '\\p{Script=Tai_Le}\\p{Script=New_Tai_Lue}\\p{Script=Tai_Tham}' +
      '\\p{Script=Tai_Viet}\\p{Script=Ahom}])' +
      '[\\p{Alphabetic}\\u02C2-\\u02C5\\u02D2-\\u02D7\\u02DE\\u02DF' +
      '\\u02E5-\\u02EB\\u02ED\\u02EF-\\u02FF\\u055A-\\u055C\\u055E\\u058A' +
      '\\u05F3\\uA708-\\uA716\\uA720\\uA721\\uA789\\uA78A\\uAB5B]$', 'u')]
  ];

  var classCache = new Map();

  function classOf(ch) {
    var known = classCache.get(ch);
    if (known !== undefined) return known;
    var found = OTHER;
    for (var i = 0; i < CLASSES.length; i++) {
      if (CLASSES[i][1].test(ch)) { found = CLASSES[i][0]; break; }
    }
    classCache.set(ch, found);
    return found;
  }

  var PICTOGRAPHIC = /^\p{Extended_Pictographic}$/u;
  var ALPHANUMERIC = /[\p{Alphabetic}\p{N}]/u;

  function ignorable(cls) {
    return cls === EXTEND || cls === FORMAT || cls === ZWJ;
  }

  /* ---- Word boundaries ----
   * Where the segment that starts at chars[start] ends, by the rules of
   * UAX #29 in the order unicode-segmentation applies them: Extend, Format
   * and ZWJ join whatever they follow (WB4), and a ZWJ followed by a
   * pictograph holds on to it (WB3c) before any other rule is asked. */

  // What the segment is in the middle of.
  var IN_LETTERS = 1, IN_HEBREW = 2, IN_NUMBER = 3, IN_KATAKANA = 4,
    IN_CONNECTOR = 5, IN_FLAG_HALF = 6, IN_FLAG = 7, IN_EMOJI = 8,
    IN_SPACE = 9, AFTER_ZWJ = 10, MARKS_ONLY = 11,
    // After a MidLetter/MidNum-like character that only belongs to the
    // word if a letter (number, Hebrew letter) follows it.
    NEEDS_LETTER = 12, NEEDS_NUMBER = 13, NEEDS_HEBREW = 14,
    // After a Hebrew letter and an apostrophe, which stays either way.
    HEBREW_QUOTE = 15;

  function segmentEnd(chars, classes, start) {
    var n = chars.length;
    var state;
    switch (classes[start]) {
      case CR: return start + 1 < n && classes[start + 1] === LF ? start + 2 : start + 1;
      case LF: case NEWLINE: return start + 1;
      case ALETTER: state = IN_LETTERS; break;
      case HEBREW: state = IN_HEBREW; break;
      case NUMERIC: state = IN_NUMBER; break;
      case KATAKANA: state = IN_KATAKANA; break;
      case EXTENDNUMLET: state = IN_CONNECTOR; break;
      case RI: state = IN_FLAG_HALF; break;
      case ZWJ: state = AFTER_ZWJ; break;
      case WSEGSPACE: state = IN_SPACE; break;
      default:
        // Anything else stands alone, with the marks that follow it.
        if (start + 1 < n && ignorable(classes[start + 1])) state = MARKS_ONLY;
        else return start + 1;
    }
    var pending = -1; // where a character that needs a follower is
    var marked = false; // whether Extend/Format/ZWJ were taken in
    for (var i = start + 1; i < n; i++) {
      var cls = classes[i];
      if (ignorable(cls)) { marked = true; continue; }
      if (classes[i - 1] === ZWJ && PICTOGRAPHIC.test(chars[i])) { state = IN_EMOJI; continue; }
      var next = 0; // the state to go on in; 0 ends the segment before i
      switch (state) {
        case IN_LETTERS:
        case IN_HEBREW:
          if (cls === ALETTER) next = IN_LETTERS;
          else if (cls === HEBREW) next = IN_HEBREW;
          else if (cls === NUMERIC) next = IN_NUMBER;
          else if (cls === EXTENDNUMLET) next = IN_CONNECTOR;
          else if (state === IN_HEBREW && cls === DQUOTE) { pending = i; next = NEEDS_HEBREW; }
          else if (state === IN_HEBREW && cls === SQUOTE) next = HEBREW_QUOTE;
          else if (cls === MIDLETTER || cls === MIDNUMLET || cls === SQUOTE) { pending = i; next = NEEDS_LETTER; }
          break;
        case IN_NUMBER:
          if (cls === NUMERIC) next = IN_NUMBER;
          else if (cls === ALETTER) next = IN_LETTERS;
          else if (cls === HEBREW) next = IN_HEBREW;
          else if (cls === EXTENDNUMLET) next = IN_CONNECTOR;
          else if (cls === MIDNUM || cls === MIDNUMLET || cls === SQUOTE) { pending = i; next = NEEDS_NUMBER; }
          break;
        case IN_KATAKANA:
          if (cls === KATAKANA) next = IN_KATAKANA;
          else if (cls === EXTENDNUMLET) next = IN_CONNECTOR;
          break;
        case IN_CONNECTOR:
          if (cls === EXTENDNUMLET) next = IN_CONNECTOR;
          else if (cls === ALETTER) next = IN_LETTERS;
          else if (cls === HEBREW) next = IN_HEBREW;
          else if (cls === NUMERIC) next = IN_NUMBER;
          else if (cls === KATAKANA) next = IN_KATAKANA;
          break;
        case IN_FLAG_HALF:
          if (cls === RI) next = IN_FLAG;
          break;
        case IN_SPACE:
          if (cls === WSEGSPACE && !marked) next = IN_SPACE;
          break;
        case NEEDS_LETTER:
        case HEBREW_QUOTE:
          if (cls === ALETTER) next = IN_LETTERS;
          else if (cls === HEBREW) next = IN_HEBREW;
          else if (state === NEEDS_LETTER) return pending;
          break;
        case NEEDS_NUMBER:
          if (cls === NUMERIC) next = IN_NUMBER;
          else return pending;
          break;
        case NEEDS_HEBREW:
          if (cls === HEBREW) next = IN_HEBREW;
          else return pending;
          break;
        // IN_FLAG, IN_EMOJI, AFTER_ZWJ, MARKS_ONLY: the segment is over.
      }
      if (next === 0) return i;
      state = next;
    }
    // The end of the text: a character still waiting for its follower is
    // left out.
    if (state === NEEDS_LETTER || state === NEEDS_NUMBER || state === NEEDS_HEBREW) return pending;
    return n;
  }

  // The segments of `text` with a letter or a digit in them
  // (unicode-segmentation's unicode_words).
  function unicodeWords(text, out) {
    var chars = Array.from(text);
    var classes = chars.map(classOf);
    for (var start = 0; start < chars.length;) {
      var end = segmentEnd(chars, classes, start);
      var segment = chars.slice(start, end).join('');
      if (ALPHANUMERIC.test(segment)) out.push(segment);
      start = end;
    }
  }

  /* ---- CJK ---- */

  // Han ideographs, kana and Hangul: scripts written without spaces
  // (is_cjk in analyze.rs).
  var CJK_RUNS = /([\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\u{20000}-\u{2FA1F}]+)/u;

  // The overlapping character pairs of a CJK run; a lone character stands
  // for itself.
  function cjkPairs(run, out) {
    var chars = Array.from(run);
    if (chars.length === 1) { out.push(run); return; }
    for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  }

  /* ---- Case and accents ---- */

  var ASCII = /^[\x00-\x7F]*$/;
  var MARKS = /\p{M}/gu;

  // Lower case without marks (accents) after canonical decomposition.
  function plain(word) {
    var lower = String(word).toLowerCase();
    if (ASCII.test(lower)) return lower;
    return lower.normalize('NFD').replace(MARKS, '');
  }

  /* ---- British and American spelling (fold in analyze.rs) ----
   * Copies of the tables of analyze.rs, kept in step by
   * tests/search_parity.rs. */

  // Whole words: British form → folded form.
  var IRREGULAR = {
    ageing: 'aging',
    aluminium: 'aluminum',
    catalogue: 'catalog',
    cheque: 'check',
    defence: 'defense',
    dialogue: 'dialog',
    grey: 'gray',
    judgement: 'judgment',
    licence: 'license',
    manoeuvre: 'maneuver',
    mould: 'mold',
    offence: 'offense',
    programme: 'program',
    sulphur: 'sulfur'
  };

  // Letter groups British medical spelling writes with an extra vowel, in
  // the order they are replaced.
  var VOWELS = [
    ['aem', 'em'],
    ['paed', 'ped'],
    ['aesth', 'esth'],
    ['foet', 'fet'],
    ['rrhoea', 'rrhea'],
    ['pnoea', 'pnea'],
    ['coeli', 'celi'],
    ['gynaec', 'gynec'],
    ['faec', 'fec'],
    ['caes', 'ces'],
    ['amoeb', 'ameb'],
    ['aetiol', 'etiol']
  ];

  // Words ending in "our" that are not British forms of "-or" words.
  var OUR_WORDS = ['contour', 'detour', 'devour', 'velour', 'paramour', 'troubadour'];

  // What may follow "our" in a British "-our" word.
  var OUR_ENDINGS = ['', 's', 'ed', 'ing', 'ite', 'ites', 'able', 'al', 'ally', 'ful'];

  // -tre/-bre endings and their American forms, in the order tried.
  var TRE = [['tre', 'ter'], ['bre', 'ber']];
  var TRE_ENDINGS = [['', ''], ['s', 's'], ['d', 'ed']];

  // The -ize family, in the order tried: the z becomes an s.
  var IZE = ['izations', 'ization', 'izing', 'izes', 'ized', 'izer', 'izers', 'ize'];

  var hasOwn = Object.prototype.hasOwnProperty;

  // British and American spellings of one (lower case) word folded into
  // one form.
  function fold(word) {
    var w = String(word);
    if (!ASCII.test(w) || w.length < 4) return w;
    if (hasOwn.call(IRREGULAR, w)) return IRREGULAR[w];
    for (var i = 0; i < VOWELS.length; i++) w = w.split(VOWELS[i][0]).join(VOWELS[i][1]);
    // oesophagus, oestrogen, oedema: a leading "oe" before a consonant.
    if (w.slice(0, 2) === 'oe' && w.length > 2 && 'aeiou'.indexOf(w[2]) < 0) w = w.slice(1);
    return foldIze(foldTre(foldOur(w)));
  }

  // tumour → tumor, colours → colors; not four, hour, your, contour.
  function foldOur(w) {
    var i = w.lastIndexOf('our');
    if (i < 0) return w;
    var stem = w.slice(0, i), rest = w.slice(i + 3);
    if (stem.length >= 3 && OUR_ENDINGS.indexOf(rest) >= 0 && OUR_WORDS.indexOf(stem + 'our') < 0) {
      return stem + 'or' + rest;
    }
    return w;
  }

  // centre → center, fibres → fibers, centred → centered.
  function foldTre(w) {
    for (var i = 0; i < TRE.length; i++) {
      for (var j = 0; j < TRE_ENDINGS.length; j++) {
        var suffix = TRE[i][0] + TRE_ENDINGS[j][0];
        if (w.length >= suffix.length + 2 && endsWith(w, suffix)) {
          return w.slice(0, w.length - suffix.length) + TRE[i][1] + TRE_ENDINGS[j][1];
        }
      }
    }
    return w;
  }

  // organize → organise, hospitalization → hospitalisation.
  function foldIze(w) {
    for (var i = 0; i < IZE.length; i++) {
      var suffix = IZE[i];
      if (w.length > suffix.length + 1 && endsWith(w, suffix)) {
        var z = w.length - suffix.length + 1;
        return w.slice(0, z) + 's' + w.slice(z + 1);
      }
    }
    return w;
  }

  function endsWith(w, suffix) {
    return w.length >= suffix.length && w.slice(w.length - suffix.length) === suffix;
  }

  /* ---- Snowball English stemmer (Porter2), as rust-stemmers 1.x ----
   * Regions are positions in the word: R1 starts after the first
   * non-vowel that follows a vowel, R2 the same again from R1. A suffix is
   * "in R1" when it starts at or after R1. In each step the longest suffix
   * of the step's list decides; if its condition fails, nothing happens. */

  function isVowel(ch) {
    return ch === 'a' || ch === 'e' || ch === 'i' || ch === 'o' || ch === 'u' || ch === 'y';
  }

  // Words stemmed as a whole before anything else.
  var EXCEPTIONS = {
    skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie',
    idly: 'idl', gently: 'gentl', ugly: 'ugli', early: 'earli', only: 'onli',
    singly: 'singl',
    andes: 'andes', atlas: 'atlas', bias: 'bias', cosmos: 'cosmos',
    howe: 'howe', news: 'news', sky: 'sky'
  };

  // Words left alone after step 1a.
  var AFTER_1A = ['succeed', 'proceed', 'exceed', 'canning', 'inning', 'earring', 'herring', 'outing'];

  // Step 2: in R1, suffix → replacement ('ogi' only after l, 'li' only
  // after one of cdeghkmnrt).
  var STEP2 = [
    ['ization', 'ize'], ['ational', 'ate'], ['iveness', 'ive'], ['fulness', 'ful'],
    ['ousness', 'ous'], ['biliti', 'ble'], ['lessli', 'less'], ['tional', 'tion'],
    ['aliti', 'al'], ['iviti', 'ive'], ['fulli', 'ful'], ['ousli', 'ous'],
    ['entli', 'ent'], ['alism', 'al'], ['ation', 'ate'], ['anci', 'ance'],
    ['enci', 'ence'], ['abli', 'able'], ['alli', 'al'], ['izer', 'ize'],
    ['ator', 'ate'], ['bli', 'ble'], ['ogi', 'og'], ['li', '']
  ];

  // Step 3: in R1, suffix → replacement ('ative' only in R2).
  var STEP3 = [
    ['ational', 'ate'], ['tional', 'tion'], ['alize', 'al'], ['icate', 'ic'],
    ['iciti', 'ic'], ['ative', ''], ['ical', 'ic'], ['ness', ''], ['ful', '']
  ];

  // Step 4: in R2, deleted ('ion' only after s or t).
  var STEP4 = [
    'ement', 'ment', 'ance', 'ence', 'able', 'ible', 'ant', 'ent', 'ism', 'ate',
    'iti', 'ous', 'ive', 'ize', 'ion', 'al', 'er', 'ic'
  ];

  // The longest of `list` (entries or [entry, …] pairs) that `w` ends
  // with, or null.
  function longest(w, list) {
    var best = null;
    for (var i = 0; i < list.length; i++) {
      var entry = list[i];
      var suffix = typeof entry === 'string' ? entry : entry[0];
      if (endsWith(w, suffix) && (best === null || suffix.length > best[0].length)) {
        best = typeof entry === 'string' ? [entry] : entry;
      }
    }
    return best;
  }

  // Where R1 (or R2, from `from`) starts: after the first non-vowel that
  // follows a vowel; the word's length if there is none.
  function region(w, from) {
    var i = from;
    while (i < w.length && !isVowel(w[i])) i++;
    i++;
    while (i < w.length && isVowel(w[i])) i++;
    return i < w.length ? i + 1 : w.length;
  }

  // Whether w[0, end) ends in a short syllable: a non-vowel other than w,
  // x or Y after a vowel after a non-vowel, or a vowel and a non-vowel
  // that are the whole of it.
  function shortSyllable(w, end) {
    if (end >= 3 && !isVowel(w[end - 1]) && 'wxY'.indexOf(w[end - 1]) < 0 &&
        isVowel(w[end - 2]) && !isVowel(w[end - 3])) return true;
    return end === 2 && isVowel(w[0]) && !isVowel(w[1]);
  }

  function hasVowel(w, end) {
    for (var i = 0; i < end; i++) if (isVowel(w[i])) return true;
    return false;
  }

  function stem(word) {
    var w = String(word);
    if (hasOwn.call(EXCEPTIONS, w)) return EXCEPTIONS[w];
    if (Array.from(w).length < 3) return w;

    // Prelude: a leading apostrophe goes; a y at the start or after a
    // vowel is a consonant, marked Y.
    if (w[0] === "'") w = w.slice(1);
    var chars = w.split('');
    var yMarked = false;
    if (chars[0] === 'y') { chars[0] = 'Y'; yMarked = true; }
    for (var i = 0; i + 1 < chars.length; i++) {
      if (isVowel(chars[i]) && chars[i + 1] === 'y') { chars[i + 1] = 'Y'; yMarked = true; }
    }
    w = chars.join('');

    // Regions; gener-, commun- and arsen- are their own R1.
    var prefix = /^(gener|commun|arsen)/.exec(w);
    var p1 = prefix ? prefix[0].length : region(w, 0);
    var p2 = region(w, p1);

    // Step 1a: possessives, then plurals.
    var s = longest(w, ["'s'", "'s", "'"]);
    if (s) w = w.slice(0, w.length - s[0].length);
    s = longest(w, ['sses', 'ied', 'ies', 'ss', 'us', 's']);
    if (s) {
      var before = w.length - s[0].length;
      if (s[0] === 'sses') w = w.slice(0, before) + 'ss';
      else if (s[0] === 'ied' || s[0] === 'ies') w = w.slice(0, before) + (before >= 2 ? 'i' : 'ie');
      // s goes if a vowel comes before the letter before it.
      else if (s[0] === 's' && before >= 1 && hasVowel(w, before - 1)) w = w.slice(0, before);
    }

    if (AFTER_1A.indexOf(w) < 0) {
      w = steps1bTo5(w, p1, p2);
    }

    // Postlude: Y back to y.
    return yMarked ? w.replace(/Y/g, 'y') : w;
  }

  function steps1bTo5(w, p1, p2) {
    var s, at;

    // Step 1b: -eed(ly) in R1 → -ee; -ed(ly), -ing(ly) after a vowel go,
    // and the stem is tidied (hopp → hop, hop → hope, luxuriat → luxuriate).
    s = longest(w, ['eedly', 'ingly', 'edly', 'eed', 'ing', 'ed']);
    if (s) {
      at = w.length - s[0].length;
      if (s[0] === 'eed' || s[0] === 'eedly') {
        if (at >= p1) w = w.slice(0, at) + 'ee';
      } else if (hasVowel(w, at)) {
        w = w.slice(0, at);
        if (endsWith(w, 'at') || endsWith(w, 'bl') || endsWith(w, 'iz')) w += 'e';
        else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) w = w.slice(0, -1);
        else if (w.length === p1 && shortSyllable(w, w.length)) w += 'e';
      }
    }

    // Step 1c: a final y or Y after a non-vowel that is not the first
    // letter → i.
    var last = w[w.length - 1];
    if ((last === 'y' || last === 'Y') && w.length >= 3 && !isVowel(w[w.length - 2])) {
      w = w.slice(0, -1) + 'i';
    }

    // Step 2.
    s = longest(w, STEP2);
    if (s) {
      at = w.length - s[0].length;
      if (at >= p1) {
        if (s[0] === 'ogi') {
          if (w[at - 1] === 'l') w = w.slice(0, at) + s[1];
        } else if (s[0] === 'li') {
          if (at >= 1 && 'cdeghkmnrt'.indexOf(w[at - 1]) >= 0) w = w.slice(0, at);
        } else {
          w = w.slice(0, at) + s[1];
        }
      }
    }

    // Step 3.
    s = longest(w, STEP3);
    if (s) {
      at = w.length - s[0].length;
      if (at >= p1 && (s[0] !== 'ative' || at >= p2)) w = w.slice(0, at) + s[1];
    }

    // Step 4.
    s = longest(w, STEP4);
    if (s) {
      at = w.length - s[0].length;
      if (at >= p2 && (s[0] !== 'ion' || w[at - 1] === 's' || w[at - 1] === 't')) {
        w = w.slice(0, at);
      }
    }

    // Step 5: a final e in R2, or in R1 after no short syllable; a final
    // l in R2 after an l.
    at = w.length - 1;
    if (w[at] === 'e') {
      if (at >= p2 || (at >= p1 && !shortSyllable(w, at))) w = w.slice(0, at);
    } else if (w[at] === 'l') {
      if (at >= p2 && w[at - 1] === 'l') w = w.slice(0, at);
    }
    return w;
  }

  /* ---- The analyzer ---- */

  // Folded words of `text`, in order (CJK runs as their pairs).
  function words(text) {
    var out = [];
    var pieces = String(text).split(CJK_RUNS);
    for (var i = 0; i < pieces.length; i++) {
      if (i % 2 === 1) { cjkPairs(pieces[i], out); continue; }
      var raw = [];
      unicodeWords(pieces[i], raw);
      for (var j = 0; j < raw.length; j++) {
        // A "word" of marks alone has nothing left once they go.
        var word = fold(plain(raw[j]));
        if (ALPHANUMERIC.test(word)) out.push(word);
      }
    }
    return out;
  }

  // The analyzer for a site written in `languageTag` (BCP 47): English
  // (or no language) stems, other languages match words as folded.
  function analyzer(languageTag) {
    var primary = String(languageTag == null ? '' : languageTag).split(/[-_]/)[0]
      .replace(/[A-Z]/g, function (c) { return c.toLowerCase(); });
    var stems = primary === 'en' || primary === '';
    function term(word) {
      var w = String(word);
      return stems && ASCII.test(w) ? stem(w) : w;
    }
    return {
      words: words,
      term: term,
      terms: function (text) { return words(text).map(term); }
    };
  }

  window.MarrowText = { analyzer: analyzer, fold: fold, plain: plain, stem: stem };
})();
