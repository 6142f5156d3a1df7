/** `lambda-contract/report`: a run's report in the CLI's formats (text, JSON, JUnit XML, Markdown). */
export { formatText, formatViolation } from './text';
export { formatJson } from './json';
export type { JsonReport } from './json';
export { formatJunit } from './junit';
export { formatMarkdown } from './markdown';
export { formatPortabilityText, formatPortabilityJson } from './portability';
export type { JsonPortabilityReport } from './portability';
