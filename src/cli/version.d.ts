/** package.json's version, put in by the build (scripts/build.mjs). */
declare const TRACKDOWN_VERSION: string;
