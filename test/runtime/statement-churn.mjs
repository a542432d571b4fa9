// Preloaded into a mock process by test/runtime/lifecycle.test.ts (node --expose-gc --import).
// It makes the garbage collector finalize many better-sqlite3 databases and prepared statements
// while the server runs: the situation in which better-sqlite3 12 aborted on Node 24.19+
// (`Assertion failed: (env) != nullptr` in Statement::~Statement) at GC and at exit.
import Database from 'better-sqlite3'

if (typeof globalThis.gc !== 'function') throw new Error('statement-churn needs node --expose-gc')

function churn() {
  for (let i = 0; i < 20; i++) {
    const db = new Database(':memory:')
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)')
    for (let j = 0; j < 25; j++) db.prepare(`SELECT v FROM t WHERE k = ? AND ${j} = ${j}`).get('k')
    // Half are closed, half are left for the garbage collector with their statements alive.
    if (i % 2 === 0) db.close()
  }
  // Both kinds of collection: the one V8 starts itself when the heap grows (the kind that aborted:
  // it runs finalizers outside any JavaScript context) and the forced one.
  let garbage = []
  for (let i = 0; i < 300_000; i++) garbage.push({ i })
  garbage = null
  globalThis.gc()
}

const timer = setInterval(churn, 100)
timer.unref()
churn()
