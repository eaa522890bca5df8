import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

const SANDBOX_ENTRY_ONLY = {
  group: ['**/sandbox/**', '!**/sandbox/index.js'],
  message: 'Use the sandbox through its one entry, sandbox/index.ts (import it as .../sandbox/index.js).'
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '!eslint.config.js'] },
  js.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }]
    }
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/common/log.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'core',
          property: 'debug',
          message: 'use debug() from src/common/log.ts: it writes ::debug:: lines only when RUNNER_DEBUG=1'
        }
      ]
    }
  },
  // Every source file a reader can take in at once; deploy-beanstalk's main.ts is the story on one page
  { files: ['src/**/*.ts'], rules: { 'max-lines': ['error', { max: 300 }] } },
  { files: ['src/deploy-beanstalk/main.ts'], rules: { 'max-lines': ['error', { max: 150 }] } },
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts', 'sandbox/**/*.ts'],
    rules: { 'no-console': 'off' }
  },
  // The product imports neither a test nor the sandbox; the scripts import no test; everything outside sandbox/
  // uses the sandbox through its one entry, sandbox/index.ts (sandbox/package.json)
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/test/**', '**/sandbox/**'], message: 'src/ ships: no tests, no sandbox.' }]
        }
      ]
    }
  },
  {
    files: ['scripts/**/*.ts', 'scripts/**/*.mjs'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/test/**'], message: 'scripts/ do not import from test/.' },
            SANDBOX_ENTRY_ONLY
          ]
        }
      ]
    }
  },
  {
    files: ['test/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [SANDBOX_ENTRY_ONLY] }] }
  }
)
