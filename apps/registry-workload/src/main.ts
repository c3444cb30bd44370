// Entry point of the registry-workload controller. Not implemented yet: it says so and exits non-zero
// rather than pretending to run.
process.stderr.write('image-registry-operator/registry-workload: not implemented yet\n');
process.exitCode = 1;
