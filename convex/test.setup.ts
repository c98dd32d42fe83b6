/// <reference types="vite/client" />
// Every Convex module for convex-test. Vite 8 needs the plain glob (the documented
// `!(*.*.*)` form returns {}), so test files are excluded with a negative pattern.
export const modules = import.meta.glob(["./**/*.*s", "!./**/*.test.ts", "!./**/test.*.ts"]);

declare module "vitest" {
  export interface ProvidedContext {
    /** The provider simulator started by tests/simulator-global-setup.ts. */
    simulatorUrl: string;
    /** A second simulator on another port: another origin, whose request log shows what reached it. */
    otherOriginUrl: string;
  }
}
