-- Photos of adverts (location choisie) and the indexes of the advert search.
-- A photo is stored re-encoded by the server (resized, every metadata removed: EXIF GPS is personal
-- data), in two sizes, in the database itself (bytea): one storage on PGlite and PostgreSQL, backed up
-- with the rest. Its alternative text is required.

CREATE TABLE advert_photo (
  id text PRIMARY KEY,
  advert_id text NOT NULL REFERENCES advert,
  epci_code text NOT NULL REFERENCES epci,
  -- 1-based order of the photos of the advert.
  position smallint NOT NULL CHECK (position >= 1),
  alt_text text NOT NULL CHECK (length(btrim(alt_text)) BETWEEN 5 AND 300),
  content_type text NOT NULL CHECK (content_type IN ('image/webp', 'image/jpeg')),
  -- The displayed image (longest side at most 1280 px) and its thumbnail (at most 400 px).
  image bytea NOT NULL,
  width smallint NOT NULL CHECK (width > 0),
  height smallint NOT NULL CHECK (height > 0),
  thumbnail bytea NOT NULL,
  thumbnail_width smallint NOT NULL CHECK (thumbnail_width > 0),
  thumbnail_height smallint NOT NULL CHECK (thumbnail_height > 0),
  created_by text REFERENCES app_user,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX advert_photo_advert ON advert_photo (advert_id, position);

-- Advert search (bench/letting.ts): published adverts of an EPCI in display order (most recently
-- published first), walked until a page is full; the homes' filters are checked through the advert's home.
CREATE INDEX advert_published_order ON advert (epci_code, published_at DESC NULLS FIRST, id) WHERE status = 'published';
CREATE INDEX advert_home ON advert (home_id);
-- Active applicants of an advert with what ranks them (chance).
CREATE INDEX application_advert_active ON application (advert_id, sne_number) WHERE status = 'active';
