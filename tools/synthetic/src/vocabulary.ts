/** Per-category vocabulary, so item text carries the same structure as behaviour. */
export const CATEGORY_WORDS: Record<string, readonly string[]> = {
  electronics: ['wireless', 'charger', 'battery', 'bluetooth', 'usb', 'smart', 'screen', 'speaker'],
  books: ['novel', 'paperback', 'author', 'chapter', 'story', 'edition', 'mystery', 'history'],
  fashion: ['cotton', 'jacket', 'denim', 'summer', 'leather', 'sneaker', 'dress', 'wool'],
  home: ['kitchen', 'lamp', 'sofa', 'ceramic', 'garden', 'pillow', 'towel', 'shelf'],
  sports: ['running', 'yoga', 'bike', 'tennis', 'training', 'outdoor', 'fitness', 'hiking'],
  music: ['guitar', 'vinyl', 'piano', 'album', 'concert', 'drum', 'acoustic', 'jazz'],
  beauty: ['serum', 'lipstick', 'fragrance', 'skincare', 'cream', 'shampoo', 'mask', 'nail'],
  toys: ['puzzle', 'lego', 'doll', 'board', 'robot', 'plush', 'kids', 'blocks'],
  food: ['coffee', 'chocolate', 'organic', 'tea', 'snack', 'spice', 'pasta', 'honey'],
  travel: ['luggage', 'backpack', 'passport', 'map', 'camping', 'tent', 'suitcase', 'pillow'],
  games: ['console', 'controller', 'arcade', 'strategy', 'quest', 'multiplayer', 'retro', 'pixel'],
  garden: ['seeds', 'planter', 'soil', 'hose', 'rose', 'shovel', 'compost', 'herb'],
};

export const ADJECTIVES = ['classic', 'premium', 'compact', 'deluxe', 'vintage', 'modern', 'essential', 'limited'];
