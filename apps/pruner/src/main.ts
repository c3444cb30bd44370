// Entry point of the pruner controller. Not implemented yet: it says so and exits non-zero
// rather than pretending to run.
process.stderr.write('image-registry-operator/pruner: not implemented yet\n');
process.exitCode = 1;
