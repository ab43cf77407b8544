//! sRGB colours and WCAG contrast, shared by the code highlighting
//! stylesheet and the site's accent colour: both must stay readable (AA,
//! 4.5:1) whatever colour a theme or a hospital picks.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An opaque sRGB colour, written in `site.yaml` as `#rgb` or `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rgb {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Rgb {
    pub const WHITE: Rgb = Rgb::new(0xff, 0xff, 0xff);
    pub const BLACK: Rgb = Rgb::new(0, 0, 0);

    pub const fn new(r: u8, g: u8, b: u8) -> Rgb {
        Rgb { r, g, b }
    }

    /// Parses `#rgb` or `#rrggbb` (case-insensitive).
    pub fn parse_hex(text: &str) -> Option<Rgb> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok();
        let pair = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        match hex.len() {
            3 => Some(Rgb::new(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
            6 => Some(Rgb::new(pair(0)?, pair(2)?, pair(4)?)),
            _ => None,
        }
    }

    /// Relative luminance (WCAG 2.2 definition).
    pub fn luminance(self) -> f64 {
        let channel = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.r) + 0.7152 * channel(self.g) + 0.0722 * channel(self.b)
    }

    /// WCAG contrast ratio, from 1 (same) to 21 (black on white).
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }

    /// The colour `t` of the way from `self` to `other` (0: self, 1: other).
    pub fn mix(self, other: Rgb, t: f64) -> Rgb {
        let m = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
        Rgb::new(m(self.r, other.r), m(self.g, other.g), m(self.b, other.b))
    }

    /// The lowest contrast of `self` against any of `backgrounds`.
    pub fn worst_contrast(self, backgrounds: &[Rgb]) -> f64 {
        backgrounds
            .iter()
            .map(|&bg| self.contrast(bg))
            .fold(f64::INFINITY, f64::min)
    }

    /// `self` if it reaches `min` contrast against every background;
    /// otherwise the closest shade that does, moving towards black on light
    /// backgrounds and towards white on dark ones. The backgrounds must all
    /// be light or all dark (judged by the first).
    pub fn with_contrast(self, backgrounds: &[Rgb], min: f64) -> Rgb {
        let target = match backgrounds.first() {
            Some(bg) if bg.luminance() <= 0.18 => Rgb::WHITE,
            _ => Rgb::BLACK,
        };
        // Contrast grows monotonically along the mix, so bisect for the
        // smallest change that is enough.
        if self.worst_contrast(backgrounds) >= min {
            return self;
        }
        let (mut lo, mut hi) = (0.0, 1.0);
        for _ in 0..24 {
            let mid = (lo + hi) / 2.0;
            if self.mix(target, mid).worst_contrast(backgrounds) >= min {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        self.mix(target, hi)
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

impl TryFrom<String> for Rgb {
    type Error = String;

    fn try_from(text: String) -> Result<Rgb, String> {
        Rgb::parse_hex(&text).ok_or_else(|| {
            format!("`{text}` is not a colour: write it as #rgb or #rrggbb, e.g. \"#7a1f5c\" (in quotes, since # starts a YAML comment)")
        })
    }
}

impl From<Rgb> for String {
    fn from(c: Rgb) -> String {
        c.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_short_and_long_hex() {
        assert_eq!(Rgb::parse_hex("#fff"), Some(Rgb::WHITE));
        assert_eq!(Rgb::parse_hex("#7A1F5c"), Some(Rgb::new(0x7a, 0x1f, 0x5c)));
        for bad in ["fff", "#ffff", "#ggg", "#12345", "", "#", "#ééé"] {
            assert_eq!(Rgb::parse_hex(bad), None, "{bad}");
        }
        assert_eq!(Rgb::new(0x7a, 0x1f, 0x5c).to_string(), "#7a1f5c");
    }

    #[test]
    fn contrast_matches_wcag_reference_values() {
        assert!((Rgb::BLACK.contrast(Rgb::WHITE) - 21.0).abs() < 1e-9);
        // #767676 on white is the classic 4.54:1 grey.
        let grey = Rgb::parse_hex("#767676").unwrap();
        assert!((grey.contrast(Rgb::WHITE) - 4.54).abs() < 0.01);
    }

    #[test]
    fn with_contrast_changes_only_what_it_must() {
        let dark = Rgb::new(0x0a, 0x58, 0xa8);
        assert_eq!(dark.with_contrast(&[Rgb::WHITE], 4.5), dark);
        let yellow = Rgb::parse_hex("#ffd700").unwrap();
        let page = [Rgb::WHITE, Rgb::new(0xf3, 0xf5, 0xf7)];
        let fixed = yellow.with_contrast(&page, 4.5);
        assert!(fixed.worst_contrast(&page) >= 4.5);
        assert!(fixed.worst_contrast(&page) < 4.6, "{fixed}");
        let night = Rgb::new(0x15, 0x19, 0x1e);
        let navy = Rgb::new(0x00, 0x20, 0x60);
        let light = navy.with_contrast(&[night], 4.5);
        assert!(light.contrast(night) >= 4.5 && light.luminance() > navy.luminance());
    }
}
