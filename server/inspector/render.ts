// What rendering the page needs (Hono's JSX runtime, the views, the JWT check): loaded on the
// first page request, not at start-up, which the mock keeps short.
export { buildView } from './page.js'
export { renderPage, renderRegions } from './views.js'
