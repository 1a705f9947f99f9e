//! Text for the base-14 Helvetica fonts: WinAnsi encoding, measuring and
//! line wrapping.

use pdf_writer::Name;

use super::metrics;

/// The two fonts the report uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Font {
    Regular,
    Bold,
}

impl Font {
    /// Resource name on every page.
    pub(super) fn resource(self) -> Name<'static> {
        match self {
            Self::Regular => Name(b"F1"),
            Self::Bold => Name(b"F2"),
        }
    }

    /// PostScript name of the base-14 font.
    pub(super) fn base_font(self) -> Name<'static> {
        match self {
            Self::Regular => Name(b"Helvetica"),
            Self::Bold => Name(b"Helvetica-Bold"),
        }
    }

    fn widths(self) -> &'static [u16; 224] {
        match self {
            Self::Regular => &metrics::HELVETICA,
            Self::Bold => &metrics::HELVETICA_BOLD,
        }
    }
}

/// WinAnsi code of `c`, or `None` if the encoding lacks it.
fn win_ansi(c: char) -> Option<u8> {
    let code = u32::from(c);
    if (0x20..0x7f).contains(&code) || (0xa0..=0xff).contains(&code) {
        return u8::try_from(code).ok();
    }
    Some(match c {
        '\u{20ac}' => 0x80,
        '\u{201a}' => 0x82,
        '\u{0192}' => 0x83,
        '\u{201e}' => 0x84,
        '\u{2026}' => 0x85,
        '\u{2020}' => 0x86,
        '\u{2021}' => 0x87,
        '\u{02c6}' => 0x88,
        '\u{2030}' => 0x89,
        '\u{0160}' => 0x8a,
        '\u{2039}' => 0x8b,
        '\u{0152}' => 0x8c,
        '\u{017d}' => 0x8e,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201c}' => 0x93,
        '\u{201d}' => 0x94,
        '\u{2022}' => 0x95,
        '\u{2013}' => 0x96,
        '\u{2014}' => 0x97,
        '\u{02dc}' => 0x98,
        '\u{2122}' => 0x99,
        '\u{0161}' => 0x9a,
        '\u{203a}' => 0x9b,
        '\u{0153}' => 0x9c,
        '\u{017e}' => 0x9e,
        '\u{0178}' => 0x9f,
        _ => return None,
    })
}

/// Encodes `s` in WinAnsi. Control characters become spaces, a few common
/// symbols are spelt out, and anything else the fonts lack becomes '?'.
pub(super) fn encode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{2264}' => out.extend_from_slice(b"<="),
            '\u{2265}' => out.extend_from_slice(b">="),
            '\u{2212}' | '\u{2010}' | '\u{2011}' => out.push(b'-'),
            c if c.is_control() => out.push(b' '),
            c => out.push(win_ansi(c).unwrap_or(b'?')),
        }
    }
    out
}

/// Width in points of WinAnsi `bytes` at `size`.
pub(super) fn width(font: Font, size: f32, bytes: &[u8]) -> f32 {
    let table = font.widths();
    let units: u64 = bytes
        .iter()
        .map(|&b| {
            usize::from(b)
                .checked_sub(32)
                .and_then(|i| table.get(i))
                .map_or(0, |&w| u64::from(w))
        })
        .sum();
    units as f32 * size / 1000.0
}

/// Width in points of `s` at `size`.
pub(super) fn str_width(font: Font, size: f32, s: &str) -> f32 {
    width(font, size, &encode(s))
}

/// Splits `s` into encoded lines no wider than `max` points, breaking at
/// spaces where possible and inside over-long words otherwise. Newlines in
/// `s` start new lines (a blank line is kept, empty); an empty `s` gives no
/// line.
pub(super) fn wrap(font: Font, size: f32, s: &str, max: f32) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    for paragraph in s.lines() {
        let mut line: Vec<u8> = Vec::new();
        if paragraph.trim().is_empty() {
            lines.push(line);
            continue;
        }
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let word = encode(word);
            let mut candidate = line.clone();
            if !candidate.is_empty() {
                candidate.push(b' ');
            }
            candidate.extend_from_slice(&word);
            if width(font, size, &candidate) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // The word alone: split it if it is still too wide.
            for &b in &word {
                line.push(b);
                if line.len() > 1 && width(font, size, &line) > max {
                    line.pop();
                    lines.push(std::mem::replace(&mut line, vec![b]));
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

/// [`wrap`], keeping at most `max_lines` lines; " ..." marks a cut.
pub(super) fn wrap_capped(
    font: Font,
    size: f32,
    s: &str,
    max: f32,
    max_lines: usize,
) -> Vec<Vec<u8>> {
    let mut lines = wrap(font, size, s, max);
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            last.extend_from_slice(b" ...");
        }
    }
    lines
}

/// `s` on one line: runs of whitespace, line breaks included, become one
/// space.
pub(super) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_win_ansi() {
        assert_eq!(encode("Abc 1"), b"Abc 1");
        assert_eq!(
            encode("Müller–Øst"),
            [b'M', 0xfc, b'l', b'l', b'e', b'r', 0x96, 0xd8, b's', b't']
        );
        assert_eq!(encode("€ “x”"), [0x80, b' ', 0x93, b'x', 0x94]);
        assert_eq!(encode("李\u{0085}\t≤"), b"?  <=");
    }

    #[test]
    fn measures_helvetica() {
        // "Hello" in Helvetica: 722 + 556 + 222 + 222 + 556 = 2278 units.
        assert!((str_width(Font::Regular, 10.0, "Hello") - 22.78).abs() < 1e-3);
        assert!(str_width(Font::Bold, 10.0, "Hello") > str_width(Font::Regular, 10.0, "Hello"));
    }

    #[test]
    fn wraps_words_and_long_words() {
        let lines = wrap(Font::Regular, 10.0, "aaa bbb ccc\n\nddd", 40.0);
        let expected: [&[u8]; 4] = [b"aaa bbb", b"ccc", b"", b"ddd"];
        assert_eq!(lines, expected);
        let long = wrap(Font::Regular, 10.0, &"x".repeat(50), 50.0);
        assert!(long.len() > 1);
        assert!(long.iter().all(|l| width(Font::Regular, 10.0, l) <= 50.0));
        assert_eq!(long.concat().len(), 50);
        assert!(wrap(Font::Regular, 10.0, "", 50.0).is_empty());
        // Even a zero width makes progress, one character a line.
        assert_eq!(wrap(Font::Regular, 10.0, "ab", 0.0).len(), 2);
    }
}
