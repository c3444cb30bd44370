// Entry point of the node-ca controller. Not implemented yet: it says so and exits non-zero
// rather than pretending to run.
process.stderr.write('image-registry-operator/node-ca: not implemented yet\n');
process.exitCode = 1;
