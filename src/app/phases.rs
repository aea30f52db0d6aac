//! Where a long command's time goes, phase by phase: with `LEAKWARD_PHASES` set (an internal
//! switch, for profiling and the benches), each phase's wall time is printed to standard
//! error as it ends. Costs one clock read per phase when unset.

use std::time::Instant;

/// A stopwatch over consecutive phases of one command.
pub(crate) struct Phases {
    what: &'static str,
    on: bool,
    last: Instant,
}

impl Phases {
    /// Starts timing the first phase of `what` (a command's name).
    pub(crate) fn start(what: &'static str) -> Self {
        Phases {
            what,
            on: std::env::var_os("LEAKWARD_PHASES").is_some(),
            last: Instant::now(),
        }
    }

    /// Ends the phase called `name` and starts the next.
    pub(crate) fn lap(&mut self, name: &str) {
        let now = Instant::now();
        if self.on {
            let seconds = now.duration_since(self.last).as_secs_f64();
            eprintln!("phase: {} {name} {seconds:.3} s", self.what);
        }
        self.last = now;
    }
}
