"""The parts of `scripts.benchmark`: request types, servers, wrk runs."""
