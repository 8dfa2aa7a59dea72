// oidc-provider ships no types; the auth tests use a small, stable part of its API.
declare module 'oidc-provider' {
  const Provider: any;
  export default Provider;
}
