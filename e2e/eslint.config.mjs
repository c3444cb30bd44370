import baseConfig from '../eslint.config.mjs';

// Test tooling: its memory is not what users run.
export default [...baseConfig, { files: ['**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': 'off' } }];
