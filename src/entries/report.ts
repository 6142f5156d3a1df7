/** `lambda-contract/report`: a run's report in the CLI's formats (text, JSON, JUnit XML, Markdown). */
export { formatText, formatViolation } from '../report/text';
export { formatJson } from '../report/json';
export type { JsonReport } from '../report/json';
export { formatJunit } from '../report/junit';
export { formatMarkdown } from '../report/markdown';
export { formatPortabilityText, formatPortabilityJson } from '../report/portability';
export type { JsonPortabilityReport } from '../report/portability';
