export { HOUR, NOW, rankedList, testItem } from './fixtures';
