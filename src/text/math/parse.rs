//! Names read as math: a scenario's `name` (`exp(−x)`, `1+exp(−x)`, `X·W`) by a
//! recursive-descent parser that stops at [`MAX_NESTING`], and a symbol written with TeX's
//! marks (`w_0`, `x^2`, `\alpha`).

use super::Math;
use crate::core::limits::MAX_NESTING;

impl Math {
    /// A name written with TeX's marks: `w_0` (w₀), `x^2` (x²), a Greek letter `\alpha` (α),
    /// on a base of one letter; anything else as [`Math::name`].
    pub fn symbol(name: &str) -> Math {
        let one_letter = |base: &str| matches!(Math::symbol(base), Math::Var(_));
        if let Some((base, index)) = name.split_once('_') {
            if one_letter(base) && !index.is_empty() {
                let index = Math::symbol(index.trim_matches(['{', '}']));
                return Math::Sub(Box::new(Math::symbol(base)), Box::new(index));
            }
        }
        if let Some((base, power)) = name.split_once('^') {
            if one_letter(base) && !power.is_empty() {
                let power = Math::symbol(power.trim_matches(['{', '}']));
                return Math::Pow(Box::new(Math::symbol(base)), Box::new(power));
            }
        }
        match name.strip_prefix('\\').and_then(greek) {
            Some(letter) => Math::Var(letter.to_string()),
            None => Math::name(name),
        }
    }

    /// A name as a scenario writes it, read as math where it is simple math: `−x`,
    /// `exp(−x)`, `1+exp(−x)`, `X·W`, `w_0`, `\alpha`; anything else (`apple count`), and a name nested deeper
    /// than [`MAX_NESTING`] (which validation refuses), as upright text.
    pub fn parse_name(name: &str) -> Math {
        Math::try_parse_name(name).unwrap_or_else(|TooDeep| Math::symbol(name))
    }

    /// A name read as [`Math::parse_name`] reads it, or [`TooDeep`] if it nests parentheses,
    /// signs or function applications deeper than [`MAX_NESTING`]: the parser stops there,
    /// so that no name can exhaust the stack.
    ///
    /// # Errors
    /// [`TooDeep`].
    pub fn try_parse_name(name: &str) -> Result<Math, TooDeep> {
        if name.contains(' ') {
            return Ok(Math::symbol(name));
        }
        let tokens: Vec<char> = name.chars().filter(|c| !c.is_whitespace()).collect();
        let mut parser = Parser {
            t: &tokens,
            at: 0,
            too_deep: false,
        };
        let parsed = parser.sum(0);
        if parser.too_deep {
            return Err(TooDeep);
        }
        Ok(match parsed {
            Some(m) if parser.at == tokens.len() => m,
            _ => Math::symbol(name),
        })
    }
}

/// A name nests deeper than [`MAX_NESTING`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep;

/// A recursive-descent parser of names, at most [`MAX_NESTING`] levels deep.
struct Parser<'a> {
    t: &'a [char],
    at: usize,
    /// Set when the nesting went past the limit; the parse then fails.
    too_deep: bool,
}

impl Parser<'_> {
    fn sum(&mut self, depth: usize) -> Option<Math> {
        let mut terms = vec![self.term(depth)?];
        while let Some(&c) = self.t.get(self.at) {
            match c {
                '+' => {
                    self.at += 1;
                    terms.push(self.term(depth)?);
                }
                '−' | '-' => {
                    self.at += 1;
                    terms.push(Math::Neg(Box::new(self.term(depth)?)));
                }
                _ => break,
            }
        }
        Some(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Math::Sum(terms)
        })
    }

    fn term(&mut self, depth: usize) -> Option<Math> {
        let mut factors = vec![self.factor(depth)?];
        while matches!(self.t.get(self.at), Some('·' | '*')) {
            self.at += 1;
            factors.push(self.factor(depth)?);
        }
        Some(if factors.len() == 1 {
            factors.remove(0)
        } else {
            Math::Product(factors)
        })
    }

    /// Closes a parenthesis, or fails.
    fn close(&mut self) -> Option<()> {
        (self.t.get(self.at) == Some(&')')).then(|| self.at += 1)
    }

    fn factor(&mut self, depth: usize) -> Option<Math> {
        if depth >= MAX_NESTING {
            self.too_deep = true;
            return None;
        }
        let t = self.t;
        match t.get(self.at)? {
            '−' | '-' => {
                self.at += 1;
                Some(Math::Neg(Box::new(self.factor(depth + 1)?)))
            }
            '(' => {
                self.at += 1;
                let inner = self.sum(depth + 1)?;
                self.close()?;
                Some(Math::Group(Box::new(inner)))
            }
            c if c.is_alphanumeric() || *c == '.' => {
                let start = self.at;
                while t
                    .get(self.at)
                    .is_some_and(|c| c.is_alphanumeric() || *c == '.' || *c == '_')
                {
                    self.at += 1;
                }
                let word: String = t[start..self.at].iter().collect();
                if t.get(self.at) == Some(&'(') {
                    self.at += 1;
                    let arg = self.sum(depth + 1)?;
                    self.close()?;
                    // One letter before parentheses is a product, y(1 − y); a word is a function.
                    return Some(if word.chars().count() == 1 {
                        Math::Juxt(vec![Math::name(&word), Math::Group(Box::new(arg))])
                    } else {
                        Math::Apply(word, vec![arg])
                    });
                }
                Some(if word.chars().all(|c| c.is_ascii_digit() || c == '.') {
                    Math::Text(word)
                } else {
                    Math::symbol(&word)
                })
            }
            _ => None,
        }
    }
}

/// The Greek letter TeX names `name` (`alpha`, `Sigma`), if it names one.
fn greek(name: &str) -> Option<char> {
    const NAMES: [&str; 24] = [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
        "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi",
        "chi", "psi", "omega",
    ];
    let lower = name.to_lowercase();
    let at = NAMES.iter().position(|n| *n == lower)?;
    let first = if name.starts_with(char::is_uppercase) {
        'Α'
    } else {
        'α'
    };
    // Both alphabets skip a code point before sigma: the final ς, and an unassigned one.
    char::from_u32(first as u32 + at as u32 + u32::from(at >= 17))
}
