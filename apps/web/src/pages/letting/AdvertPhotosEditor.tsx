import { type FormEvent, useId, useState } from 'react';
import { sendJson } from '../../api.ts';
import { photoFileProblem } from './letting-lib.ts';
import type { Advert } from './types.ts';

/** The file as base64 (without the data: prefix), as POST /adverts/{id}/photos takes it. */
export function fileBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(new Error('Le fichier n’a pas pu être lu.'));
    reader.readAsDataURL(file);
  });
}

export function uploadPhoto(advertId: string, file: File, altText: string, csrf: string) {
  return fileBase64(file).then((imageBase64) =>
    sendJson<Advert>('POST', `/adverts/${advertId}/photos`, { imageBase64, altText: altText.trim() }, csrf),
  );
}

/** A photo file and its required alternative text, with their errors. */
export function PhotoFields({
  ids,
  alt,
  problems,
  onFile,
  onAlt,
  required,
}: {
  ids: string;
  alt: string;
  problems: { photo?: string; alt?: string };
  onFile: (file: File | null) => void;
  onAlt: (alt: string) => void;
  required: boolean;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${ids}-photo`}>Photo{required ? '' : ' (facultative)'}</label>
        <p className="hint" id={`${ids}-photo-hint`}>
          JPEG, PNG ou WebP, 10 Mo au plus. Elle est réduite et ses métadonnées (position GPS, appareil) sont
          effacées.
        </p>
        <input
          id={`${ids}-photo`}
          type="file"
          accept="image/jpeg,image/png,image/webp"
          aria-invalid={problems.photo ? true : undefined}
          aria-describedby={`${ids}-photo-hint${problems.photo ? ` ${ids}-photo-error` : ''}`}
          onChange={(e) => onFile(e.target.files?.[0] ?? null)}
        />
        {problems.photo && (
          <p className="field-error" id={`${ids}-photo-error`}>
            {problems.photo}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-alt`}>Texte alternatif de la photo</label>
        <p className="hint" id={`${ids}-alt-hint`}>
          Obligatoire avec une photo : ce qu’elle montre, pour qui ne la voit pas (par exemple « Séjour
          lumineux avec balcon »).
        </p>
        <input
          id={`${ids}-alt`}
          value={alt}
          maxLength={300}
          aria-invalid={problems.alt ? true : undefined}
          aria-describedby={`${ids}-alt-hint${problems.alt ? ` ${ids}-alt-error` : ''}`}
          onChange={(e) => onAlt(e.target.value)}
        />
        {problems.alt && (
          <p className="field-error" id={`${ids}-alt-error`}>
            {problems.alt}
          </p>
        )}
      </div>
    </>
  );
}

/** Checks a photo and its text before sending; returns the problems by field. */
export function photoFormProblems(file: File | null, alt: string, required: boolean) {
  const problems: { photo?: string; alt?: string } = {};
  if (!file) {
    if (required) problems.photo = 'Choisissez une photo.';
    return problems;
  }
  const p = photoFileProblem(file);
  if (p) problems.photo = p;
  const n = alt.trim().length;
  if (n === 0) problems.alt = 'Décrivez ce que montre la photo : le texte alternatif est obligatoire.';
  else if (n < 5) problems.alt = 'Le texte alternatif doit compter au moins 5 caractères.';
  return problems;
}

/** The photos of an advert for its landlord: add one (with its text), change the order, remove. */
export function AdvertPhotosEditor({
  advert,
  editable,
  csrf,
  onDone,
  onError,
}: {
  advert: Advert;
  editable: boolean;
  csrf: string;
  onDone: (message: string) => Promise<void>;
  onError: (e: unknown) => void;
}) {
  const ids = useId();
  const [file, setFile] = useState<File | null>(null);
  const [alt, setAlt] = useState('');
  const [problems, setProblems] = useState<{ photo?: string; alt?: string }>({});
  const [busy, setBusy] = useState(false);
  const [formKey, setFormKey] = useState(0);
  const photos = advert.photos ?? [];

  const run = async (action: () => Promise<unknown>, message: string) => {
    setBusy(true);
    try {
      await action();
      await onDone(message);
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const found = photoFormProblems(file, alt, true);
    setProblems(found);
    if (found.photo || found.alt) {
      document.getElementById(`${ids}-${found.photo ? 'photo' : 'alt'}`)?.focus();
      return;
    }
    await run(() => uploadPhoto(advert.id, file!, alt, csrf), `Photo ajoutée : « ${alt.trim()} ».`);
    setFile(null);
    setAlt('');
    setFormKey((k) => k + 1);
  };

  const move = (index: number, by: -1 | 1) => {
    const order = photos.map((p) => p.id);
    const [moved] = order.splice(index, 1);
    order.splice(index + by, 0, moved!);
    return run(
      () => sendJson('PUT', `/adverts/${advert.id}/photos/order`, { photoIds: order }, csrf),
      `Photo « ${photos[index]!.altText} » déplacée en position ${index + by + 1}.`,
    );
  };

  return (
    <section aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>Photos</h3>
      {photos.length === 0 ? (
        <p>Aucune photo.</p>
      ) : (
        <ol className="letting-photo-list">
          {photos.map((p, i) => (
            <li key={p.id}>
              <img
                src={`/api/v1/adverts/${advert.id}/photos/${p.id}/thumb`}
                alt={p.altText}
                width={p.thumbnailWidth}
                height={p.thumbnailHeight}
              />
              <span>{p.altText}</span>
              {editable && (
                <span className="letting-actions">
                  {i > 0 && (
                    <button
                      type="button"
                      className="button-secondary"
                      disabled={busy}
                      onClick={() => void move(i, -1)}
                      aria-label={`Monter la photo « ${p.altText} »`}
                    >
                      Monter
                    </button>
                  )}
                  {i < photos.length - 1 && (
                    <button
                      type="button"
                      className="button-secondary"
                      disabled={busy}
                      onClick={() => void move(i, 1)}
                      aria-label={`Descendre la photo « ${p.altText} »`}
                    >
                      Descendre
                    </button>
                  )}
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={busy}
                    onClick={() =>
                      void run(
                        () => sendJson('DELETE', `/adverts/${advert.id}/photos/${p.id}`, undefined, csrf),
                        `Photo « ${p.altText} » retirée.`,
                      )
                    }
                    aria-label={`Retirer la photo « ${p.altText} »`}
                  >
                    Retirer
                  </button>
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
      {editable ? (
        <form className="form" onSubmit={add} noValidate key={formKey} aria-labelledby={`${ids}-add`}>
          <h4 id={`${ids}-add`}>Ajouter une photo</h4>
          <PhotoFields ids={ids} alt={alt} problems={problems} onFile={setFile} onAlt={setAlt} required />
          <button className="button-secondary" type="submit" disabled={busy}>
            Ajouter la photo
          </button>
        </form>
      ) : (
        <p className="hint">Les photos ne changent plus une fois qu’une candidature existe.</p>
      )}
    </section>
  );
}
