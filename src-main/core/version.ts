declare const __AIRDECK_VERSION__: string | undefined;

/** Stamped in by the build; tests run from source and see the dev marker. */
export const APP_VERSION: string =
  typeof __AIRDECK_VERSION__ === 'string' ? __AIRDECK_VERSION__ : '0.0.0-dev';
