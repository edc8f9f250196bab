// Integration tests start services and wait for real runs to finish: give them room.
jest.setTimeout(180_000);
