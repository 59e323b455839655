//! Mathematical expressions as the figures write them: derivatives as stacked fractions
//! (∂L over ∂z), products by juxtaposition or `·`, powers as superscripts. A [`Math`] is
//! plain data; it is written as TeX for typesetting ([`Math::tex`]) and as one line of
//! Unicode for captions and terminals ([`Math::plain`]). A name as a scenario writes it is
//! read as math by [`Math::parse_name`], whose parser is in `math/parse.rs`.

mod parse;

pub use parse::TooDeep;

/// An expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Math {
    /// An italic variable name: `x`, `L`, `W`.
    Var(String),
    /// Upright text: a number, a function name (`exp`), a name that is not one letter.
    Text(String),
    /// ∂num/∂den, stacked.
    Partial(Box<Math>, Box<Math>),
    /// A fraction, stacked.
    Frac(Box<Math>, Box<Math>),
    /// base^exponent.
    Pow(Box<Math>, Box<Math>),
    /// base_index.
    Sub(Box<Math>, Box<Math>),
    /// The transpose, base with a superscript T.
    Transpose(Box<Math>),
    /// The square root, under a radical sign: `√x`.
    Sqrt(Box<Math>),
    /// A function applied: `exp(−x)`.
    Apply(String, Vec<Math>),
    /// A product of factors, written with `·` between them.
    Product(Vec<Math>),
    /// A product written by juxtaposition: `2t`, `y(1 − y)`.
    Juxt(Vec<Math>),
    /// A sum of terms, written with `+` (or `−` for negated terms).
    Sum(Vec<Math>),
    /// The negation, written with a leading `−`.
    Neg(Box<Math>),
    /// In parentheses.
    Group(Box<Math>),
}

impl Math {
    /// A variable if `name` is one letter (optionally with a prime or a digit subscript
    /// written `x1`), upright text otherwise.
    pub fn name(name: &str) -> Math {
        let mut chars = name.chars();
        match (chars.next(), chars.clone().count()) {
            (Some(c), 0) if c.is_alphabetic() => Math::Var(name.to_string()),
            (Some(c), _) if c.is_alphabetic() && chars.clone().all(|d| d.is_ascii_digit()) => {
                Math::Sub(
                    Box::new(Math::Var(c.to_string())),
                    Box::new(Math::Text(chars.collect())),
                )
            }
            _ => Math::Text(name.to_string()),
        }
    }

    /// How many parts the expression has (names, numbers and operators), a measure of how
    /// long it is written.
    pub fn size(&self) -> usize {
        1 + match self {
            Math::Var(_) | Math::Text(_) => 0,
            Math::Partial(a, b) | Math::Frac(a, b) | Math::Pow(a, b) | Math::Sub(a, b) => {
                a.size() + b.size()
            }
            Math::Transpose(a) | Math::Sqrt(a) | Math::Neg(a) | Math::Group(a) => a.size(),
            Math::Apply(_, xs) | Math::Product(xs) | Math::Juxt(xs) | Math::Sum(xs) => {
                xs.iter().map(Math::size).sum()
            }
        }
    }

    /// ∂of/∂by.
    pub fn partial(of: Math, by: Math) -> Math {
        Math::Partial(Box::new(of), Box::new(by))
    }

    /// The expression as TeX, for the typesetter.
    pub fn tex(&self) -> String {
        match self {
            Math::Var(v) => tex_escape(v),
            // Text with spaces, signs or parentheses (a label: `t (one-hot)`, `x+y`) is set
            // as text, as written, not re-spaced as math.
            Math::Text(t) if t.contains([' ', '-', '+', '(', ')']) => {
                format!("\\text{{{}}}", tex_escape(t))
            }
            Math::Text(t) => format!("\\mathrm{{{}}}", tex_escape(t)),
            Math::Partial(a, b) => format!(
                "\\frac{{\\partial {}}}{{\\partial {}}}",
                a.tex_differentiated(),
                b.tex_differentiated()
            ),
            Math::Frac(a, b) => format!("\\frac{{{}}}{{{}}}", a.tex(), b.tex()),
            Math::Pow(a, b) => format!("{{{}}}^{{{}}}", a.tex_atom(), b.tex()),
            Math::Sub(a, b) => format!("{{{}}}_{{{}}}", a.tex_atom(), b.tex()),
            Math::Transpose(a) => format!("{{{}}}^{{\\mathrm{{T}}}}", a.tex_atom()),
            Math::Sqrt(a) => format!("\\sqrt{{{}}}", a.tex()),
            Math::Apply(f, args) => format!(
                "\\mathrm{{{}}}({})",
                tex_escape(f),
                args.iter().map(Math::tex).collect::<Vec<_>>().join(", ")
            ),
            Math::Product(fs) => fs
                .iter()
                .map(Math::tex_factor)
                .collect::<Vec<_>>()
                .join(" \\cdot "),
            Math::Juxt(fs) => fs
                .iter()
                .map(Math::tex_factor)
                .collect::<Vec<_>>()
                .join(" "),
            Math::Sum(ts) => {
                let mut out = String::new();
                for (i, t) in ts.iter().enumerate() {
                    match (i, t) {
                        (0, _) => out.push_str(&t.tex()),
                        (_, Math::Neg(inner)) => {
                            out.push_str(&format!(" - {}", inner.tex_factor()))
                        }
                        _ => out.push_str(&format!(" + {}", t.tex())),
                    }
                }
                out
            }
            Math::Neg(a) => format!("-{}", a.tex_factor()),
            Math::Group(a) if a.is_tall() => format!("\\left({}\\right)", a.tex()),
            Math::Group(a) => format!("({})", a.tex()),
        }
    }

    /// Whether it holds a stacked fraction, so that parentheses around it must grow.
    fn is_tall(&self) -> bool {
        match self {
            Math::Partial(..) | Math::Frac(..) => true,
            Math::Var(_) | Math::Text(_) => false,
            Math::Pow(a, _)
            | Math::Sub(a, _)
            | Math::Transpose(a)
            | Math::Sqrt(a)
            | Math::Neg(a)
            | Math::Group(a) => a.is_tall(),
            Math::Apply(_, xs) | Math::Product(xs) | Math::Juxt(xs) | Math::Sum(xs) => {
                xs.iter().any(Math::is_tall)
            }
        }
    }

    fn tex_atom(&self) -> String {
        match self {
            Math::Var(_)
            | Math::Text(_)
            | Math::Group(_)
            | Math::Apply(..)
            | Math::Sub(..)
            | Math::Sqrt(_) => self.tex(),
            _ => Math::Group(Box::new(self.clone())).tex(),
        }
    }

    /// As what ∂ applies to, in parentheses unless it [stands alone](Math::stands_alone):
    /// ∂L/∂(w₁ · x), not ∂L/∂w₁ · x; the TeX of [`Math::plain_atom`].
    fn tex_differentiated(&self) -> String {
        if self.stands_alone() {
            self.tex()
        } else {
            Math::Group(Box::new(self.clone())).tex()
        }
    }

    fn tex_factor(&self) -> String {
        match self {
            Math::Sum(_) | Math::Neg(_) => Math::Group(Box::new(self.clone())).tex(),
            _ => self.tex(),
        }
    }

    /// The expression on one line of Unicode: `∂L/∂z · y`, `−∂L/∂y · y²`.
    pub fn plain(&self) -> String {
        match self {
            Math::Var(v) | Math::Text(v) => v.clone(),
            Math::Partial(a, b) => format!("∂{}/∂{}", a.plain_atom(), b.plain_atom()),
            Math::Frac(a, b) => format!("{}/{}", a.plain_atom(), b.plain_atom()),
            Math::Pow(a, b) => match superscript(&b.plain()) {
                Some(s) => format!("{}{s}", a.plain_atom()),
                None => format!("{}^{}", a.plain_atom(), b.plain_atom()),
            },
            Math::Sub(a, b) => format!(
                "{}{}",
                a.plain_atom(),
                subscript(&b.plain()).unwrap_or_else(|| format!("_{}", b.plain_atom()))
            ),
            Math::Transpose(a) => format!("{}ᵀ", a.plain_atom()),
            Math::Sqrt(a) => format!("√{}", a.plain_atom()),
            Math::Apply(f, args) => {
                format!(
                    "{f}({})",
                    args.iter().map(Math::plain).collect::<Vec<_>>().join(", ")
                )
            }
            Math::Product(fs) => fs
                .iter()
                .map(Math::plain_factor)
                .collect::<Vec<_>>()
                .join(" · "),
            Math::Juxt(fs) => fs.iter().map(Math::plain_factor).collect::<String>(),
            Math::Sum(ts) => {
                let mut out = String::new();
                for (i, t) in ts.iter().enumerate() {
                    match (i, t) {
                        (0, _) => out.push_str(&t.plain()),
                        (_, Math::Neg(inner)) => {
                            out.push_str(&format!(" − {}", inner.plain_factor()))
                        }
                        _ => out.push_str(&format!(" + {}", t.plain())),
                    }
                }
                out
            }
            Math::Neg(a) => format!("−{}", a.plain_factor()),
            Math::Group(a) => format!("({})", a.plain()),
        }
    }

    /// [`Math::plain`], in parentheses unless it is one name, number or call: an operand of
    /// ×, ÷ or − in a sentence, `(x + y) × z`.
    pub fn plain_atom(&self) -> String {
        if self.stands_alone() {
            self.plain()
        } else {
            format!("({})", self.plain())
        }
    }

    /// Whether the expression reads as one thing without parentheses: a name, a number, a
    /// call, a power, a subscript, a transpose, a root or something in parentheses already.
    fn stands_alone(&self) -> bool {
        matches!(
            self,
            Math::Var(_)
                | Math::Text(_)
                | Math::Group(_)
                | Math::Apply(..)
                | Math::Sub(..)
                | Math::Pow(..)
                | Math::Transpose(_)
                | Math::Sqrt(_)
        )
    }

    fn plain_factor(&self) -> String {
        match self {
            Math::Sum(_) | Math::Neg(_) => format!("({})", self.plain()),
            _ => self.plain(),
        }
    }
}

impl Math {
    /// The value of the expression with each name given a number by `env`; `None` if a name
    /// has no value or the expression has no numeric meaning (a derivative, a transpose).
    pub fn eval(&self, env: &dyn Fn(&str) -> Option<f64>) -> Option<f64> {
        let all = |xs: &[Math]| xs.iter().map(|x| x.eval(env)).collect::<Option<Vec<f64>>>();
        match self {
            Math::Var(v) => env(v),
            Math::Text(t) => t.parse().ok().or_else(|| env(t)),
            Math::Sub(base, index) => env(&format!("{}{}", base.plain(), index.plain())),
            Math::Frac(a, b) => Some(a.eval(env)? / b.eval(env)?),
            Math::Pow(a, b) => Some(a.eval(env)?.powf(b.eval(env)?)),
            Math::Product(fs) | Math::Juxt(fs) => Some(all(fs)?.iter().product()),
            Math::Sum(ts) => Some(all(ts)?.iter().sum()),
            Math::Neg(a) => Some(-a.eval(env)?),
            Math::Group(a) => a.eval(env),
            Math::Sqrt(a) => Some(a.eval(env)?.sqrt()),
            Math::Apply(f, args) => match (f.as_str(), all(args)?.as_slice()) {
                ("exp", [x]) => Some(x.exp()),
                ("log", [x]) => Some(x.ln()),
                ("sin", [x]) => Some(x.sin()),
                ("cos", [x]) => Some(x.cos()),
                ("tanh", [x]) => Some(x.tanh()),
                ("sqrt", [x]) => Some(x.sqrt()),
                ("abs", [x]) => Some(x.abs()),
                ("sigmoid", [x]) => Some(1.0 / (1.0 + (-x).exp())),
                ("ReLU", [x]) => Some(x.max(0.0)),
                ("sign", [x]) if *x == 0.0 => Some(0.0),
                ("sign", [x]) => Some(x.signum()),
                _ => None,
            },
            Math::Partial(..) | Math::Transpose(_) => None,
        }
    }
}

fn tex_escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\\' | '{' | '}' | '$' | '&' | '#' | '^' | '_' | '%' | '~' => format!("\\{c}"),
            c => c.to_string(),
        })
        .collect()
}

/// `s` in Unicode superscript digits and signs, if every character has one.
fn superscript(s: &str) -> Option<String> {
    s.chars()
        .map(|c| match c {
            '0' => Some('⁰'),
            '1' => Some('¹'),
            '2' => Some('²'),
            '3' => Some('³'),
            '4' => Some('⁴'),
            '5' => Some('⁵'),
            '6' => Some('⁶'),
            '7' => Some('⁷'),
            '8' => Some('⁸'),
            '9' => Some('⁹'),
            '−' | '-' => Some('⁻'),
            _ => None,
        })
        .collect()
}

/// `s` in Unicode subscript digits, if every character has one.
fn subscript(s: &str) -> Option<String> {
    s.chars()
        .map(|c| c.to_digit(10).and_then(|d| char::from_u32(0x2080 + d)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Math {
        Math::name(s)
    }

    #[test]
    fn plain_reads_like_the_text() {
        let up = Math::partial(v("L"), v("y"));
        let sq = Math::Pow(Box::new(v("y")), Box::new(Math::Text("2".into())));
        assert_eq!(
            Math::Neg(Box::new(Math::Product(vec![up.clone(), sq]))).plain(),
            "−∂L/∂y · y²"
        );
        assert_eq!(
            Math::Product(vec![up, Math::Transpose(Box::new(v("W")))]).plain(),
            "∂L/∂y · Wᵀ"
        );
        assert_eq!(v("x1").plain(), "x₁");
        let one_minus_y = Math::Sum(vec![Math::Text("1".into()), Math::Neg(Box::new(v("y")))]);
        assert_eq!(Math::Juxt(vec![v("y"), one_minus_y]).plain(), "y(1 − y)");
        assert_eq!(
            Math::Apply("exp".into(), vec![Math::Neg(Box::new(v("x")))]).plain(),
            "exp(−x)"
        );
    }

    #[test]
    fn names_are_read_as_math() {
        assert_eq!(Math::parse_name("−x"), Math::Neg(Box::new(v("x"))));
        assert_eq!(Math::parse_name("exp(−x)").plain(), "exp(−x)");
        assert_eq!(
            Math::parse_name("1+exp(−x)"),
            Math::Sum(vec![
                Math::Text("1".into()),
                Math::Apply("exp".into(), vec![Math::Neg(Box::new(v("x")))])
            ])
        );
        assert_eq!(Math::parse_name("X·W").plain(), "X · W");
        assert_eq!(
            Math::parse_name("y(1−y)"),
            Math::Juxt(vec![
                v("y"),
                Math::Group(Box::new(Math::Sum(vec![
                    Math::Text("1".into()),
                    Math::Neg(Box::new(v("y")))
                ])))
            ])
        );
        assert_eq!(
            Math::parse_name("apple count"),
            Math::Text("apple count".into())
        );
        assert_eq!(Math::parse_name("f(x"), Math::Text("f(x".into()));
    }

    #[test]
    fn tex_stacks_derivatives() {
        assert_eq!(
            Math::partial(v("L"), v("z")).tex(),
            "\\frac{\\partial L}{\\partial z}"
        );
        assert_eq!(v("exp").tex(), "\\mathrm{exp}");
        // By a product or a sum: in parentheses, as the plain text has them.
        for (name, tex, plain) in [
            ("w·x", "(w \\cdot x)", "∂L/∂(w · x)"),
            ("x+y", "(x + y)", "∂L/∂(x + y)"),
            ("w", "w", "∂L/∂w"),
        ] {
            let d = Math::partial(v("L"), Math::parse_name(name));
            assert_eq!(d.tex(), format!("\\frac{{\\partial L}}{{\\partial {tex}}}"));
            assert_eq!(d.plain(), plain);
        }
    }

    #[test]
    fn square_roots_are_written_under_a_radical() {
        let root = |x| Math::Sqrt(Box::new(x));
        let two_root_x = Math::Juxt(vec![Math::Text("2".into()), root(v("x"))]);
        let derivative = Math::Frac(Box::new(Math::Text("1".into())), Box::new(two_root_x));
        assert_eq!(derivative.plain(), "1/(2√x)");
        assert_eq!(
            derivative.tex(),
            "\\frac{\\mathrm{1}}{\\mathrm{2} \\sqrt{x}}"
        );
        let sum = Math::Sum(vec![Math::Text("1".into()), v("x")]);
        assert_eq!(root(sum.clone()).plain(), "√(1 + x)");
        assert_eq!(root(sum).tex(), "\\sqrt{\\mathrm{1} + x}");
        let env = |n: &str| (n == "x").then_some(4.0);
        assert_eq!(derivative.eval(&env), Some(0.25));
    }

    #[test]
    fn functions_have_their_values() {
        let at = |f: &str, x: f64| {
            Math::Apply(f.into(), vec![v("x")]).eval(&|n: &str| (n == "x").then_some(x))
        };
        assert_eq!(at("sin", 0.5), Some(0.5f64.sin()));
        assert_eq!(at("cos", 0.5), Some(0.5f64.cos()));
        assert_eq!(at("sign", -3.0), Some(-1.0));
        assert_eq!(at("sign", 0.0), Some(0.0));
        assert_eq!(at("sign", -0.0), Some(0.0));
        assert_eq!(at("sign", 2.0), Some(1.0));
        assert_eq!(at("tan", 2.0), None);
    }
}
