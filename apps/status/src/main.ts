// Entry point of the status controller. Not implemented yet: it says so and exits non-zero
// rather than pretending to run.
process.stderr.write('image-registry-operator/status: not implemented yet\n');
process.exitCode = 1;
