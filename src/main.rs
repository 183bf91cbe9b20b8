//! The `ocrtidy` command. All I/O, terminal output and exit codes live in [`cli`].

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
