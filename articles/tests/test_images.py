"""Uploaded pictures: cleaned of metadata, turned upright, with renditions for readers."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from PIL import Image

from articles.models import Photo

from .factories import ArticleFactory, PhotoFactory

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo_with_gps_and_rotation() -> SimpleUploadedFile:
    """A 60×40 JPEG whose EXIF says "rotate 90°" and carries a GPS position."""
    image = Image.new("RGB", (60, 40), (10, 120, 200))
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # displayed rotated 90° clockwise
    exif[0x010F] = "Camera maker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("camera.jpg", buffer.getvalue())


class ImageTests(TestCase):
    def test_location_and_camera_metadata_never_stored(self):
        """Original, web rendition and thumbnail carry no EXIF at all, so no GPS position."""
        photo = PhotoFactory(image=photo_with_gps_and_rotation())
        for field in (photo.image, photo.web, photo.thumbnail):
            with self.subTest(field=field.field.name), Image.open(field) as stored:
                self.assertFalse(stored.getexif())
                self.assertNotIn("exif", stored.info)

    def test_orientation_is_applied(self):
        """A portrait taken with the camera turned is stored upright, with its real size."""
        photo = PhotoFactory(image=photo_with_gps_and_rotation())
        self.assertEqual((photo.width, photo.height), (40, 60))
        with Image.open(photo.web) as web:
            self.assertEqual(web.size, (40, 60))

    def test_large_image_gets_bounded_renditions(self):
        """The web rendition is at most 1600 px and the thumbnail 400 px on the long side."""
        buffer = io.BytesIO()
        Image.new("RGB", (2400, 1200), "white").save(buffer, "PNG")
        photo = PhotoFactory(image=SimpleUploadedFile("big.png", buffer.getvalue()))
        with Image.open(photo.web) as web, Image.open(photo.thumbnail) as thumbnail:
            self.assertEqual(web.size, (1600, 800))
            self.assertEqual(thumbnail.size, (400, 200))
            self.assertEqual(web.format, "JPEG")
        with Image.open(photo.image) as original:
            self.assertEqual(original.format, "PNG")

    def test_transparent_png_renditions_on_white(self):
        """JPEG renditions of a transparent PNG are flattened onto white, not black."""
        buffer = io.BytesIO()
        Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(buffer, "PNG")
        photo = PhotoFactory(image=SimpleUploadedFile("logo.png", buffer.getvalue()))
        with Image.open(photo.thumbnail) as thumbnail:
            self.assertEqual(thumbnail.convert("RGB").getpixel((10, 10)), (255, 255, 255))

    def test_file_names_say_nothing_about_the_story(self):
        """Stored names are random, never the uploaded name."""
        upload = photo_with_gps_and_rotation()
        upload.name = "secret-scoop-minister.jpg"
        photo = PhotoFactory(image=upload)
        for field in (photo.image, photo.web, photo.thumbnail):
            self.assertNotIn("secret", field.name)

    def test_saving_again_keeps_renditions(self):
        """Editing a caption does not re-encode the picture."""
        photo = PhotoFactory()
        names = (photo.image.name, photo.web.name, photo.thumbnail.name)
        photo.caption = "新的说明"
        photo.save()
        photo.refresh_from_db()
        self.assertEqual((photo.image.name, photo.web.name, photo.thumbnail.name), names)

    def test_clearing_image_clears_renditions(self):
        """Removing the picture removes its renditions from the record too."""
        photo = PhotoFactory()
        photo.image = ""
        photo.save()
        photo.refresh_from_db()
        self.assertFalse(photo.web)
        self.assertFalse(photo.thumbnail)
        self.assertFalse(Photo.objects.visible().filter(pk=photo.pk).exists())
        self.assertTrue(ArticleFactory())
