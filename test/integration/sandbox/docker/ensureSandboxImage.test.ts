import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ensureSandboxImage } from '../../../../src/sandbox/docker/ensureSandboxImage.js';
import { sandboxImageName } from '../../../../src/sandbox/docker/sandboxImageName.js';
import { dockerSkipNote, findTestDocker } from '../../../utils/findTestDocker.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

const found = await findTestDocker();
const docker = found.docker;

/** A resources directory whose `python` stack has the given Dockerfile; its image is removed after the test. */
function resources(dockerfile: string): string {
  const dir = makeTempDir('nightshift-images-');
  mkdirSync(join(dir, 'python'));
  writeFileSync(join(dir, 'python', 'Dockerfile'), dockerfile);
  const { image } = sandboxImageName({ stack: 'python', resourcesDir: dir });
  onTestFinished(() => docker?.getImage(image).remove({ force: true }).catch(() => {}));
  return dir;
}

describe('sandboxImageName', () => {
  it('tags the image with the Dockerfile\'s hash, as build-offline.sh does', () => {
    const a = sandboxImageName({ stack: 'python', resourcesDir: resources('FROM nightshift/base:bookworm\n') });
    const b = sandboxImageName({ stack: 'python', resourcesDir: resources('FROM nightshift/base:bookworm\nRUN true\n') });
    expect(a.image).toMatch(/^nightshift\/sandbox-python:[0-9a-f]{12}$/);
    expect(b.image).not.toBe(a.image);
    expect(() => sandboxImageName({ stack: 'node', resourcesDir: makeTempDir() })).toThrow(expect.objectContaining({ code: 'SANDBOX_DOCKERFILE_MISSING' }));
  });
});

describe.skipIf(!docker)(dockerSkipNote(found, 'ensureSandboxImage'), () => {
  it('builds a missing image once, with progress, and finds it the next time', async () => {
    const marker = randomBytes(8).toString('hex');
    const dir = resources(`FROM nightshift/base:bookworm\nRUN echo ${marker} > /marker\n`);
    const progress: string[] = [];
    const first = await ensureSandboxImage({ docker: docker!, stack: 'python', resourcesDir: dir, onProgress: (line) => progress.push(line) });
    expect(first).toEqual({ image: sandboxImageName({ stack: 'python', resourcesDir: dir }).image, built: true });
    expect(progress.some((line) => line.includes(`echo ${marker}`))).toBe(true);
    const inspected = await docker!.getImage(first.image).inspect();
    expect(inspected.Config.Labels).toMatchObject({ 'nightshift.kind': 'sandbox-image', 'nightshift.stack': 'python' });
    expect(await ensureSandboxImage({ docker: docker!, stack: 'python', resourcesDir: dir })).toEqual({ image: first.image, built: false });
  });

  it('reports a failing build with its last output', async () => {
    const dir = resources(`FROM nightshift/base:bookworm\nRUN echo about-to-fail-${randomBytes(4).toString('hex')} && exit 3\n`);
    const error = await ensureSandboxImage({ docker: docker!, stack: 'python', resourcesDir: dir }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'SANDBOX_IMAGE_BUILD_FAILED', hint: expect.stringContaining('sandbox:build-offline') });
    expect((error as { context: { buildLog: string[] } }).context.buildLog.join('\n')).toContain('about-to-fail');
  });

  it('says how to build offline when a Dockerfile\'s base image is missing', async () => {
    const dir = resources(`FROM nightshift/no-such-base:${randomBytes(4).toString('hex')}\nRUN true\n`);
    await expect(ensureSandboxImage({ docker: docker!, stack: 'python', resourcesDir: dir })).rejects.toMatchObject({
      code: 'SANDBOX_BASE_IMAGE_MISSING',
      hint: expect.stringContaining('npm run sandbox:build-offline'),
    });
  });
});
