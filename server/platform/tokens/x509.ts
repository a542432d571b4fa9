// @peculiar/x509, for the signing keys' and the local CA's certificates. Loaded only when a
// certificate is made: the library costs ~60 ms to import. Since version 2 it needs a Reflect
// metadata polyfill (its dependency injection uses tsyringe), imported just before it.

export async function x509Library() {
  await import('reflect-metadata')
  const x509 = await import('@peculiar/x509')
  x509.cryptoProvider.set(globalThis.crypto)
  return x509
}
