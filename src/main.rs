//! The `leakward` binary: everything it does is in the library's [`leakward::main`].

fn main() -> std::process::ExitCode {
    leakward::main()
}
