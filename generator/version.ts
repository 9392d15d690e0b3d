/** This tool's version (equal to package.json's, which a test checks). */
export const PROJECT_VERSION = '0.1.0';
