//! How long each stage took (`marrow build --timings`).

use std::time::{Duration, Instant};

/// How long one stage of a build took. Wall time is what the writer waits
/// for; CPU time (all threads, user and kernel) next to it shows whether a
/// slow stage is working the cores or waiting on the disk.
#[derive(Debug, Clone)]
pub struct Phase {
    /// What the stage does, as the writer would say it.
    pub name: &'static str,
    /// Time on the wall clock.
    pub wall: Duration,
    /// Time on all cores.
    pub cpu: Duration,
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:>9.1} ms  {:>9.1} ms CPU  {}",
            self.wall.as_secs_f64() * 1000.0,
            self.cpu.as_secs_f64() * 1000.0,
            self.name
        )
    }
}

/// Records phases one after another.
#[derive(Debug)]
pub(crate) struct Timer {
    lap: Instant,
    lap_cpu: Duration,
    pub(crate) phases: Vec<Phase>,
}

impl Timer {
    pub(crate) fn start() -> Timer {
        Timer {
            lap: Instant::now(),
            lap_cpu: process_cpu_time(),
            phases: Vec::new(),
        }
    }

    /// Ends the phase `name`, which started when the last one ended.
    pub(crate) fn mark(&mut self, name: &'static str) {
        let cpu = process_cpu_time();
        self.phases.push(Phase {
            name,
            wall: self.lap.elapsed(),
            cpu: cpu.saturating_sub(self.lap_cpu),
        });
        (self.lap, self.lap_cpu) = (Instant::now(), cpu);
    }
}

/// CPU time used so far by the whole process, all threads.
fn process_cpu_time() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    Duration::new(
        u64::try_from(t.tv_sec).unwrap_or(0),
        u32::try_from(t.tv_nsec).unwrap_or(0),
    )
}
