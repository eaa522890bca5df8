import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

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
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts', 'tools/**/*.ts'],
    rules: { 'no-console': 'off' }
  }
)
