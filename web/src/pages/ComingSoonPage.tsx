import type { NavItem } from '../nav.js';

/** Placeholder for pages that later issues build. Says so plainly. */
export function ComingSoonPage(props: { readonly item: NavItem }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">{props.item.summary}</p>
      <div className="placeholder">
        <p className="placeholder-title">Coming soon</p>
        <p>This page is not built yet. It will arrive in a later release of MedVault.</p>
      </div>
    </section>
  );
}
