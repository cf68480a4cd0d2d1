export * from './web.module';
export * from './web-assets';
export * from './web-pages.decorator';
export * from './renderer';
