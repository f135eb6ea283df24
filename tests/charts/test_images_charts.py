"""The pixels page's pictures (explorer/charts/images.py): the grey PNG, the table, the flattened X."""
import numpy as np

from explorer.charts import images


def test_large_images_are_drawn_every_kth_pixel_with_their_exact_values():
    image = np.arange(600 * 300, dtype=float).reshape(600, 300)
    trace = images.image_figure(image, "t").data[0]
    assert list(trace.x[:3]) == [0, 3, 6] and list(trace.y[:3]) == [0, 3, 6]
    np.testing.assert_array_equal(trace.z, image[::3, ::3])
    assert trace.showscale is False


def test_window_table_has_one_grey_cell_per_pixel_numbered_as_in_the_image():
    html = images.window_table_html(np.array([[0.0, 10.0, 5.0]]), 0.0, 10.0, "{:.0f}", row0=7, col0=3)
    assert "<thead><tr><th></th><th>3</th><th>4</th><th>5</th></tr></thead>" in html
    assert ('<tr><th>7</th><td style="background-color: rgb(0,0,0); color: #ffffff">0</td>'
            '<td style="background-color: rgb(255,255,255); color: #000000">10</td>'
            '<td style="background-color: rgb(128,128,128); color: #000000">5</td></tr>') in html


def test_flattened_bands_shade_every_other_row_in_one_trace():
    fig = images.flattened_figure(np.arange(25.0).reshape(-1, 1), 5, "t")
    bands, line = fig.data
    assert list(bands.x) == [-0.5, 4.5, 4.5, -0.5, -0.5, None, 9.5, 14.5, 14.5, 9.5, 9.5, None,
                             19.5, 24.5, 24.5, 19.5, 19.5, None]
    assert bands.fill == "toself" and len(bands.y) == len(bands.x)
    np.testing.assert_array_equal(line.y, np.arange(25.0))
