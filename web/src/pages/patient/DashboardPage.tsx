import { NAV } from '../../nav.js';
import { href } from '../../routes.js';
import { patientQuery } from '../../data/queries.js';
import { useQuery } from '../../data/useQuery.js';
import type { PageProps } from '../page-props.js';
import { CareTeamCard } from './CareTeamCard.js';
import { RecentAccessCard } from './RecentAccessCard.js';

/**
 * The patient's landing page after sign-in: a welcome by name (their own demographics, which
 * only they and registrars may read), their care team, and a tile for each part of MedVault.
 */
export function DashboardPage(props: PageProps & { readonly isBuilt: (path: string) => boolean }) {
  const patientId = props.user.id;
  // The name shows at once when known; the care team is asked again, as a registrar may change it.
  const { resource, reload } = useQuery(patientQuery(patientId), { refreshOnMount: true });
  const name = resource.status === 'ready' && resource.data.fullName ? resource.data.fullName : undefined;
  const tiles = NAV.patient.filter((item) => item.path !== props.item.path);
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{name ? `Welcome, ${name}` : 'Welcome'}</h1>
      <p className="page-summary">
        Your records are encrypted, and every time someone opens them it is written to a tamper-evident log.
      </p>
      <div className="stack">
        <CareTeamCard resource={resource} onRetry={() => void reload()} />
        <RecentAccessCard patientId={patientId} />
        <ul className="tile-grid" aria-label="Your MedVault">
          {tiles.map((item) => (
            <li key={item.path}>
              <a className="tile" href={href(item.path)}>
                <span className="tile-title">{item.label}</span>
                <span className="tile-summary">{item.summary}</span>
                {!props.isBuilt(item.path) && <span className="tile-badge">Coming soon</span>}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
