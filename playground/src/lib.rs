//! chainrule in the browser: the playground page's WebAssembly module.
