// Consumer crypto wallets (the SDKs' `cryptoWallets`): Ethereum (with Sign-In with Ethereum) and
// Solana wallets, their challenges signed and verified for real.
import { defineProduct } from '../../platform/product.js'
import { cryptoWalletRoutes } from './routes.js'
import { SCHEMA, WalletStore } from './store.js'
import { CryptoWallets } from './wallets.js'

export const cryptoWallets = defineProduct<{ cryptoWallets: CryptoWallets }>({
  name: 'crypto-wallets',
  schema: SCHEMA,
  services: (p) => {
    const store = new WalletStore(p.db)
    // users.deleteCryptoWallet (the wallet's id) and users.delete take the wallet's rows with them.
    p.records.onForget((gone) => store.forget(gone))
    return {
      cryptoWallets: new CryptoWallets({
        clock: p.clock,
        store,
        records: p.records,
        directory: p.directory,
        sessions: p.consumer,
      }),
    }
  },
  routes: cryptoWalletRoutes,
})
