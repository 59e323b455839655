//! Each op's local derivative as math, given the values of its names, equals the
//! numeric gradient it sends back for an upstream gradient of 1.

use ndarray::IxDyn;

use super::*;
use crate::core::tensor::scalar;

fn check(name: &str, params: Params, args: &[f64], want: &[&str]) {
    check_shaped(name, params, args, &[], want);
}

/// As [`check`], with every argument a tensor of `shape` holding one number (losses take
/// vectors).
fn check_shaped(name: &str, params: Params, args: &[f64], shape: &[usize], want: &[&str]) {
    let op = lookup(name, params).unwrap();
    let values: Vec<Tensor> = args
        .iter()
        .map(|&x| Tensor::from_elem(IxDyn(shape), x))
        .collect();
    let refs: Vec<&Tensor> = values.iter().collect();
    let out = op.forward(&refs).unwrap();
    let grads = op.backward(&refs, &out, &scalar(1.0));
    let arg_names: Vec<Math> = ["x", "w", "b"][..args.len()]
        .iter()
        .map(|n| Math::name(n))
        .collect();
    let out_name = Math::name("y");
    let names = Names {
        args: &arg_names,
        out: &out_name,
        values: Some(&refs),
    };
    let env = |n: &str| match n {
        "x" => args.first().copied(),
        "w" => args.get(1).copied(),
        "b" => args.get(2).copied(),
        "y" => out.first().copied(),
        _ => None,
    };
    for (i, grad) in grads.iter().enumerate() {
        let local = op.local_math(names, i);
        let text = local
            .factor
            .as_ref()
            .map_or_else(|| "(through)".to_string(), Math::plain);
        assert_eq!(text, want[i], "{name} arg {i}");
        let value = local.factor.as_ref().map_or(Some(1.0), |f| f.eval(&env));
        let numeric = grad.first().copied().unwrap_or(f64::NAN);
        let value = value.unwrap_or_else(|| panic!("{name} arg {i}: {text} has no value"));
        assert!(
            (value - numeric).abs() <= 1e-12 * (1.0 + numeric.abs()),
            "{name} arg {i}: {text} = {value}, numeric {numeric}"
        );
    }
}

#[test]
fn every_scalar_op_writes_its_derivative_as_the_text_does() {
    let none = Params::default();
    check("add", none, &[2.0, 3.0], &["1", "1"]);
    check("sub", none, &[2.0, 3.0], &["1", "−1"]);
    check("mul", none, &[10.0, 5.0], &["w", "x"]);
    check("div", none, &[3.0, 4.0], &["1/w", "−x/w²"]);
    check("neg", none, &[2.0], &["−1"]);
    check("reciprocal", none, &[4.0], &["−y²"]);
    check(
        "pow",
        Params {
            p: Some(2.0),
            axis: None,
        },
        &[3.0],
        &["2x"],
    );
    check(
        "pow",
        Params {
            p: Some(3.0),
            axis: None,
        },
        &[1.5],
        &["3x²"],
    );
    check("exp", none, &[0.5], &["y"]);
    check("log", none, &[2.5], &["1/x"]);
    check("sqrt", none, &[2.25], &["1/(2√x)"]);
    check("abs", none, &[-2.0], &["sign(x)"]);
    check("abs", none, &[0.0], &["sign(x)"]);
    check("sin", none, &[0.8], &["cos(x)"]);
    check("cos", none, &[0.8], &["−sin(x)"]);
    check("tanh", none, &[0.3], &["1 − y²"]);
    check("relu", none, &[2.0], &["1"]);
    check("relu", none, &[-1.0], &["0"]);
    check("sigmoid", none, &[0.7], &["y(1 − y)"]);
    check("max", none, &[3.0, 2.0], &["1", "0"]);
    check("max", none, &[-1.0, 2.0], &["0", "1"]);
    check("max", none, &[2.0, 2.0], &["1/2", "1/2"]);
    check("min", none, &[3.0, 2.0], &["0", "1"]);
    check("min", none, &[2.0, 2.0], &["1/2", "1/2"]);
    check("transpose", none, &[4.0], &["(through)"]);
    check_shaped("transpose", none, &[4.0], &[3], &["(through)"]);
    check("sum", none, &[4.0], &["(through)"]);
    check("mean", none, &[4.0], &["1"]);
    check_shaped("mean", none, &[4.0], &[3], &["1/3"]);
    check_shaped(
        "mean",
        Params {
            p: None,
            axis: Some(0),
        },
        &[4.0],
        &[4, 2],
        &["1/4"],
    );
    check_shaped(
        "cross_entropy",
        none,
        &[0.3, 1.0],
        &[1],
        &["−w/x", "−log(x)"],
    );
}

#[test]
fn matrix_ops_write_transposes_on_the_right_side() {
    let x = Math::name("X");
    let w = Math::name("W");
    let y = Math::name("Y");
    let names = Names {
        args: &[x, w, Math::name("B")],
        out: &y,
        values: None,
    };
    let matmul = lookup("matmul", Params::default()).unwrap();
    assert_eq!(
        matmul.local_math(names, 0),
        LocalMath::after(Math::Transpose(Box::new(Math::name("W"))))
    );
    assert_eq!(
        matmul.local_math(names, 1),
        LocalMath::before(Math::Transpose(Box::new(Math::name("X"))))
    );
    let affine = lookup("affine", Params::default()).unwrap();
    assert_eq!(affine.local_math(names, 2), LocalMath::through());
    // A transpose sends the upstream gradient back transposed: ∂L/∂X = (∂L/∂Y)ᵀ.
    let transpose = lookup("transpose", Params::default()).unwrap();
    assert_eq!(transpose.local_math(names, 0), LocalMath::transposed());
    let swl = lookup("softmax_with_loss", Params::default()).unwrap();
    let t = [Math::name("a"), Math::name("t")];
    let names = Names {
        args: &t,
        out: &Math::name("L"),
        values: None,
    };
    assert_eq!(
        swl.local_math(names, 0)
            .factor
            .map(|f| f.plain())
            .as_deref(),
        Some("y − t")
    );
}

#[test]
fn names_keep_the_readme_order() {
    assert_eq!(
        NAMES,
        [
            "add",
            "sub",
            "mul",
            "div",
            "neg",
            "reciprocal",
            "pow",
            "exp",
            "log",
            "sqrt",
            "abs",
            "sin",
            "cos",
            "tanh",
            "relu",
            "sigmoid",
            "max",
            "min",
            "matmul",
            "transpose",
            "affine",
            "sum",
            "mean",
            "softmax",
            "cross_entropy",
            "softmax_with_loss",
            "fn",
        ]
    );
}

#[test]
fn every_entry_builds_the_op_of_its_name() {
    for entry in REGISTRY {
        let params = Params {
            p: entry.takes.contains(&"p").then_some(2.0),
            axis: entry.takes.contains(&"axis").then_some(0),
        };
        assert_eq!(lookup(entry.name, params).unwrap().name(), entry.name);
    }
}

#[test]
fn lookup_errors_read_as_sentences() {
    let message = |name: &str, p: Option<f64>, axis: Option<usize>| {
        lookup(name, Params { p, axis }).unwrap_err().to_string()
    };
    assert_eq!(
        message("bogus", None, None),
        format!("unknown op \"bogus\"; known ops: {}", NAMES.join(", "))
    );
    assert_eq!(
        message("add", Some(2.0), Some(0)),
        "\"p\" is only for pow, not for add"
    );
    assert_eq!(
        message("bogus", None, Some(0)),
        "\"axis\" is only for sum or mean, not for bogus"
    );
    assert_eq!(
        message("pow", None, None),
        r#"pow takes one argument and its exponent as "p": {"op": "pow", "args": ["x"], "p": 2}"#
    );
    assert_eq!(
        message("pow", Some(f64::INFINITY), None),
        "pow needs a finite \"p\", got inf"
    );
    assert_eq!(
        message("sum", None, Some(2)),
        "sum takes \"axis\" 0 or 1, got 2"
    );
    assert_eq!(
        message("mean", None, Some(2)),
        "mean takes \"axis\" 0 or 1, got 2"
    );
}
