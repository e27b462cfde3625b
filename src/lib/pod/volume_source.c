/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON field names of the volume sources in the pod model. restrictedVolumes
 * prints these as its type labels (spec §3.12), so they must match the
 * Kubernetes v1 API spelling exactly.
 */
#include "podgate/pod.h"

static const char *const source_names[PG_VOL_SOURCE_COUNT] = {
    [PG_VOL_CONFIG_MAP] = "configMap",
    [PG_VOL_CSI] = "csi",
    [PG_VOL_DOWNWARD_API] = "downwardAPI",
    [PG_VOL_EMPTY_DIR] = "emptyDir",
    [PG_VOL_EPHEMERAL] = "ephemeral",
    [PG_VOL_IMAGE] = "image",
    [PG_VOL_PERSISTENT_VOLUME_CLAIM] = "persistentVolumeClaim",
    [PG_VOL_PROJECTED] = "projected",
    [PG_VOL_SECRET] = "secret",
    [PG_VOL_HOST_PATH] = "hostPath",
    [PG_VOL_GCE_PERSISTENT_DISK] = "gcePersistentDisk",
    [PG_VOL_AWS_ELASTIC_BLOCK_STORE] = "awsElasticBlockStore",
    [PG_VOL_GIT_REPO] = "gitRepo",
    [PG_VOL_NFS] = "nfs",
    [PG_VOL_ISCSI] = "iscsi",
    [PG_VOL_GLUSTERFS] = "glusterfs",
    [PG_VOL_RBD] = "rbd",
    [PG_VOL_FLEX_VOLUME] = "flexVolume",
    [PG_VOL_CINDER] = "cinder",
    [PG_VOL_CEPHFS] = "cephfs",
    [PG_VOL_FLOCKER] = "flocker",
    [PG_VOL_FC] = "fc",
    [PG_VOL_AZURE_FILE] = "azureFile",
    [PG_VOL_VSPHERE_VOLUME] = "vsphereVolume",
    [PG_VOL_QUOBYTE] = "quobyte",
    [PG_VOL_AZURE_DISK] = "azureDisk",
    [PG_VOL_PHOTON_PERSISTENT_DISK] = "photonPersistentDisk",
    [PG_VOL_PORTWORX_VOLUME] = "portworxVolume",
    [PG_VOL_SCALE_IO] = "scaleIO",
    [PG_VOL_STORAGEOS] = "storageos",
};

const char *pg_volume_source_name(enum pg_volume_source source)
{
    if ((unsigned)source >= PG_VOL_SOURCE_COUNT) {
        return NULL;
    }
    return source_names[source];
}
