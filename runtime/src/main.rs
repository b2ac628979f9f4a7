fn main() -> std::process::ExitCode {
    rpyjit::cli::main()
}
