export { exec as default, exec } from './execution.ts';
