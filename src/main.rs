//! The `leakward` binary: everything it does is in the library's [`leakward::main`].
//!
//! Memory comes from mimalloc rather than glibc's malloc. An audit decodes blobs on several
//! threads; glibc gives each thread an arena of its own and keeps what those arenas freed, so
//! git/git's audit held about 140 MB more than it used after the scan (313 MB of anonymous
//! memory with glibc's default arenas, 173 MB with `MALLOC_ARENA_MAX=1`). mimalloc returns
//! freed pages to the system: that audit peaks at 343 MB (465 MB with glibc). It is built
//! with `no_thp`: with transparent huge pages every first touch of its memory zeroed 2 MB,
//! which cost a pre-commit run about 2 ms (and the audit 40 MB more).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    leakward::main()
}
