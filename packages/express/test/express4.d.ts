// Express 4 installed under an npm alias for side-by-side tests; its API is typed as Express's.
declare module 'express4' {
  import express from 'express';
  export default express;
}
