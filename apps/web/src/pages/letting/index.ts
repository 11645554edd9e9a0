export { AdvertsPage } from './AdvertsPage.tsx';
export { ManageLettingPage } from './ManageLettingPage.tsx';
export { MyApplicationsPage } from './MyApplicationsPage.tsx';
