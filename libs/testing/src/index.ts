export { projects } from './vitest-projects.ts';
