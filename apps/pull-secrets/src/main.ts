// Entry point of the pull-secrets controller. Not implemented yet: it says so and exits non-zero
// rather than pretending to run.
process.stderr.write('image-registry-operator/pull-secrets: not implemented yet\n');
process.exitCode = 1;
