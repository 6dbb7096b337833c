import type Dockerode from 'dockerode';

/** Whether the daemon has an image by this name; errors other than "no such image" are thrown. */
export async function imageExists(docker: Dockerode, name: string): Promise<boolean> {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}
