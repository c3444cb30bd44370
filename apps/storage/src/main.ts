// Entry point of the storage controller. Not implemented yet: it says so and exits non-zero
// rather than pretending to run.
process.stderr.write('image-registry-operator/storage: not implemented yet\n');
process.exitCode = 1;
