import { useState } from 'react';
import { DEMO_EPCI, type EpciSummary } from '../../api.ts';
import { Tabs } from '../../components/Tabs.tsx';
import { MixPanel } from './MixPanel.tsx';
import { SchoolsPanel } from './SchoolsPanel.tsx';

/** The observatory of social mix: households and lettings by variable, population and scale; schools. */
export function ObservatoryPage({ epci }: { epci: EpciSummary | null }) {
  const [tab, setTab] = useState('mix');
  const code = epci?.code ?? DEMO_EPCI;
  return (
    <>
      <h1>Observatoire de la mixité sociale</h1>
      <p className="lead">
        Comment les ménages se répartissent entre communes, quartiers (IRIS), résidences du parc social et
        quartiers prioritaires, selon leur revenu, leur composition, leur âge ou leur statut d’occupation ; et
        comment les élèves se répartissent entre établissements.
      </p>
      <Tabs
        label="Thèmes de l’observatoire"
        selected={tab}
        onSelect={setTab}
        items={[
          { id: 'mix', label: 'Ménages et attributions', content: <MixPanel epci={code} /> },
          { id: 'schools', label: 'Écoles et collèges', content: <SchoolsPanel epci={code} /> },
        ]}
      />
    </>
  );
}
