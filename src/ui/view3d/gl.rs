//! The 3-D view's OpenGL side (eframe's glow backend, inside an egui paint callback):
//! one shader, vertex + index buffers per surface, uploaded only when that surface's
//! mesh generation changes; a headlight with two-sided diffuse + a little specular.

use eframe::glow::{self, HasContext};
use std::collections::HashMap;
use std::sync::Arc;

use crate::mesh::Mesh;

/// A surface to draw this frame.
#[derive(Clone)]
pub struct DrawItem {
    pub key: u8,
    pub generation: u64,
    pub mesh: Arc<Mesh>,
    pub color: [f32; 4],
}

struct Buffers {
    generation: u64,
    vao: glow::VertexArray,
    vbo: glow::Buffer,
    ebo: glow::Buffer,
    count: i32,
}

#[derive(Default)]
pub struct GlScene {
    program: Option<glow::Program>,
    buffers: HashMap<u8, Buffers>,
    /// Mesh uploads so far (tests/diagnostics: one per mesh change, not per frame).
    pub uploads: u64,
    pub error: Option<String>,
}

const VS: &str = r#"
uniform mat4 u_mvp;
in vec3 a_pos;
in vec3 a_nrm;
out vec3 v_nrm;
void main() {
    v_nrm = a_nrm;
    gl_Position = u_mvp * vec4(a_pos, 1.0);
}
"#;

const FS: &str = r#"
precision mediump float;
uniform vec4 u_color;
uniform vec3 u_view;
in vec3 v_nrm;
out vec4 out_color;
void main() {
    vec3 n = normalize(v_nrm);
    float d = abs(dot(n, u_view));
    float spec = pow(d, 24.0) * 0.25;
    vec3 c = u_color.rgb * (0.28 + 0.72 * d) + vec3(spec);
    out_color = vec4(c, u_color.a);
}
"#;

impl GlScene {
    unsafe fn program(&mut self, gl: &glow::Context) -> Result<glow::Program, String> {
        if let Some(p) = self.program {
            return Ok(p);
        }
        unsafe {
            let version = if gl.version().is_embedded {
                "#version 300 es\n"
            } else {
                "#version 330\n"
            };
            let program = gl.create_program()?;
            let mut shaders = Vec::new();
            for (kind, src) in [(glow::VERTEX_SHADER, VS), (glow::FRAGMENT_SHADER, FS)] {
                let s = gl.create_shader(kind)?;
                gl.shader_source(s, &format!("{version}{src}"));
                gl.compile_shader(s);
                if !gl.get_shader_compile_status(s) {
                    return Err(format!("3-D shader: {}", gl.get_shader_info_log(s)));
                }
                gl.attach_shader(program, s);
                shaders.push(s);
            }
            gl.bind_attrib_location(program, 0, "a_pos");
            gl.bind_attrib_location(program, 1, "a_nrm");
            gl.link_program(program);
            if !gl.get_program_link_status(program) {
                return Err(format!(
                    "3-D shader link: {}",
                    gl.get_program_info_log(program)
                ));
            }
            for s in shaders {
                gl.detach_shader(program, s);
                gl.delete_shader(s);
            }
            self.program = Some(program);
            Ok(program)
        }
    }

    unsafe fn upload(&mut self, gl: &glow::Context, item: &DrawItem) -> Result<(), String> {
        if self
            .buffers
            .get(&item.key)
            .is_some_and(|b| b.generation == item.generation)
        {
            return Ok(());
        }
        unsafe {
            if let Some(old) = self.buffers.remove(&item.key) {
                gl.delete_vertex_array(old.vao);
                gl.delete_buffer(old.vbo);
                gl.delete_buffer(old.ebo);
            }
            let normals = item.mesh.vertex_normals();
            let mut data: Vec<f32> = Vec::with_capacity(item.mesh.positions.len() * 6);
            for (p, n) in item.mesh.positions.iter().zip(&normals) {
                data.extend_from_slice(p);
                data.extend_from_slice(n);
            }
            let vao = gl.create_vertex_array()?;
            gl.bind_vertex_array(Some(vao));
            let vbo = gl.create_buffer()?;
            gl.bind_buffer(glow::ARRAY_BUFFER, Some(vbo));
            gl.buffer_data_u8_slice(
                glow::ARRAY_BUFFER,
                bytemuck::cast_slice(&data),
                glow::STATIC_DRAW,
            );
            let ebo = gl.create_buffer()?;
            gl.bind_buffer(glow::ELEMENT_ARRAY_BUFFER, Some(ebo));
            gl.buffer_data_u8_slice(
                glow::ELEMENT_ARRAY_BUFFER,
                bytemuck::cast_slice(&item.mesh.triangles),
                glow::STATIC_DRAW,
            );
            gl.enable_vertex_attrib_array(0);
            gl.vertex_attrib_pointer_f32(0, 3, glow::FLOAT, false, 24, 0);
            gl.enable_vertex_attrib_array(1);
            gl.vertex_attrib_pointer_f32(1, 3, glow::FLOAT, false, 24, 12);
            gl.bind_vertex_array(None);
            self.buffers.insert(
                item.key,
                Buffers {
                    generation: item.generation,
                    vao,
                    vbo,
                    ebo,
                    count: (item.mesh.triangles.len() * 3) as i32,
                },
            );
            self.uploads += 1;
        }
        Ok(())
    }

    /// Draw the items (opaque first, then translucent ones without depth writes).
    pub fn paint(
        &mut self,
        gl: &glow::Context,
        items: &[DrawItem],
        mvp: &[f32; 16],
        view_dir: [f32; 3],
        clip: [i32; 4],
    ) {
        if let Err(e) = unsafe { self.paint_inner(gl, items, mvp, view_dir, clip) } {
            self.error = Some(e);
        }
    }

    unsafe fn paint_inner(
        &mut self,
        gl: &glow::Context,
        items: &[DrawItem],
        mvp: &[f32; 16],
        view_dir: [f32; 3],
        clip: [i32; 4],
    ) -> Result<(), String> {
        unsafe {
            let program = self.program(gl)?;
            // drop buffers of surfaces no longer shown
            let keep: Vec<u8> = items.iter().map(|i| i.key).collect();
            let gone: Vec<u8> = self
                .buffers
                .keys()
                .filter(|k| !keep.contains(k))
                .copied()
                .collect();
            for k in gone {
                if let Some(b) = self.buffers.remove(&k) {
                    gl.delete_vertex_array(b.vao);
                    gl.delete_buffer(b.vbo);
                    gl.delete_buffer(b.ebo);
                }
            }
            for item in items {
                self.upload(gl, item)?;
            }
            gl.enable(glow::SCISSOR_TEST);
            gl.scissor(clip[0], clip[1], clip[2], clip[3]);
            gl.clear_color(0.08, 0.09, 0.11, 1.0);
            gl.clear_depth_f32(1.0);
            gl.depth_mask(true);
            gl.clear(glow::COLOR_BUFFER_BIT | glow::DEPTH_BUFFER_BIT);
            gl.enable(glow::DEPTH_TEST);
            gl.depth_func(glow::LESS);
            gl.use_program(Some(program));
            gl.uniform_matrix_4_f32_slice(
                gl.get_uniform_location(program, "u_mvp").as_ref(),
                false,
                mvp,
            );
            gl.uniform_3_f32(
                gl.get_uniform_location(program, "u_view").as_ref(),
                view_dir[0],
                view_dir[1],
                view_dir[2],
            );
            let color_loc = gl.get_uniform_location(program, "u_color");
            for pass_translucent in [false, true] {
                if pass_translucent {
                    gl.depth_mask(false);
                    gl.enable(glow::BLEND);
                    gl.blend_func(glow::SRC_ALPHA, glow::ONE_MINUS_SRC_ALPHA);
                    gl.enable(glow::CULL_FACE);
                    gl.cull_face(glow::BACK);
                    gl.front_face(glow::CCW);
                } else {
                    gl.disable(glow::BLEND);
                    gl.disable(glow::CULL_FACE);
                }
                for item in items
                    .iter()
                    .filter(|i| (i.color[3] < 1.0) == pass_translucent)
                {
                    let Some(b) = self.buffers.get(&item.key) else {
                        continue;
                    };
                    gl.uniform_4_f32(
                        color_loc.as_ref(),
                        item.color[0],
                        item.color[1],
                        item.color[2],
                        item.color[3],
                    );
                    gl.bind_vertex_array(Some(b.vao));
                    gl.draw_elements(glow::TRIANGLES, b.count, glow::UNSIGNED_INT, 0);
                }
            }
            gl.bind_vertex_array(None);
            gl.use_program(None);
            gl.depth_mask(true);
            gl.disable(glow::DEPTH_TEST);
            gl.disable(glow::CULL_FACE);
            gl.enable(glow::BLEND);
        }
        Ok(())
    }
}
